"""Sentence vectors from a static embedding table, in numpy alone.

The table (``dashboard/models/minilm_static/``) was distilled once from the Apache-2.0
sentence-transformers model all-MiniLM-L6-v2 with model2vec (``scripts/distill_embeddings.py``):
each of its 29,525 WordPiece tokens has one 256-dimensional vector (float16, 15 MB). A
text's vector is the mean of its tokens' vectors, normalised to length one — what
model2vec's ``StaticModel.encode`` computes, without torch, transformers or tokenizers.

The tokenizer is BERT's uncased WordPiece, written out here: clean the text (drop control
characters, whitespace to spaces), put spaces around CJK characters, lower-case, strip
accents, split on whitespace and punctuation, then cut each word into the longest pieces of
the vocabulary ("##" marks a piece inside a word); a word that cannot be cut is unknown and,
as in model2vec, left out.
"""

from __future__ import annotations

import itertools
import unicodedata
from functools import cache
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).resolve().parent / "models" / "minilm_static"
MAX_WORD_CHARS = 100  # longer "words" are unknown, as in the tokenizers library
DIM = 256
MAX_WORD_ROWS = 1 << 19  # distinct words kept in a word table before it starts again (between batches)


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F
    )  # fmt: skip


def _is_control(ch: str) -> bool:
    """BERT's control characters: every "other" category (Cc, Cf, Cs, Co, Cn) but tab and newlines."""
    return ch not in "\t\n\r" and unicodedata.category(ch)[0] == "C"


def _is_whitespace(ch: str) -> bool:
    return ch in " \t\n\r" or unicodedata.category(ch) in ("Zs", "Zl", "Zp")


@cache
def _char_class(ch: str) -> int:
    """0: part of a word, 1: dropped (control), 2: whitespace, 3: punctuation (a token of its own)."""
    if ch == "\x00" or ch == "\ufffd" or _is_control(ch):
        return 1
    if _is_whitespace(ch):
        return 2
    if _is_punctuation(ch) or _is_cjk(ord(ch)):  # a CJK character is a word of its own
        return 3
    return 0


class _Table(dict):
    """The ``str.translate`` table of BERT's normaliser and pre-tokenizer, filled as characters
    are met: dropped (control characters, and accents once the text is decomposed), a space
    (whitespace), padded with spaces (punctuation, CJK: tokens of their own), or kept."""

    def __missing__(self, cp: int) -> str | None:
        ch = chr(cp)
        kind = _char_class(ch)
        if kind == 1 or (kind == 0 and unicodedata.category(ch) == "Mn"):
            value = None
        elif kind == 2:
            value = " "
        elif kind == 3:
            value = f" {ch} "
        else:
            value = ch
        self[cp] = value
        return value


_TABLE = _Table()


def basic_tokens(text: str) -> list[str]:
    """BERT's basic tokenizer (uncased): words and punctuation marks, lower-cased, accents off.

    One ``str.translate`` pass, not a loop over characters: accents are stripped (NFD, then
    the non-spacing marks dropped) before lower-casing, as BERT does.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFD", text)
    return text.translate(_TABLE).lower().split()


class StaticEmbedder:
    """Token ids and sentence vectors from the distilled table."""

    def __init__(self, folder: Path = MODEL_DIR) -> None:
        tokens = (folder / "vocab.txt").read_text(encoding="utf-8").split("\n")
        if tokens and tokens[-1] == "":
            tokens.pop()
        self.vocab = {t: i for i, t in enumerate(tokens)}
        self.unk = self.vocab.get("[UNK]")
        self.vectors = np.load(folder / "embeddings.npy").astype(np.float32)
        if self.vectors.shape[0] != len(tokens):
            raise ValueError(f"{folder}: {len(tokens)} tokens but {self.vectors.shape[0]} vectors")
        self._pieces: dict[str, tuple[int, ...]] = {}
        self._leading: dict[int, np.ndarray] = {}
        self._word_tables: dict[int, tuple[np.ndarray, dict[str, int], list[int]]] = {}

    def word_ids(self, word: str) -> tuple[int, ...]:
        """WordPiece ids of one basic token (cached: words repeat)."""
        found = self._pieces.get(word)
        if found is not None:
            return found
        ids: list[int] = []
        if len(word) > MAX_WORD_CHARS:
            ids = [self.unk]
        else:
            start = 0
            while start < len(word):
                end = len(word)
                piece_id = None
                while start < end:
                    piece = word[start:end] if start == 0 else "##" + word[start:end]
                    piece_id = self.vocab.get(piece)
                    if piece_id is not None:
                        break
                    end -= 1
                if piece_id is None:
                    ids = [self.unk]
                    break
                ids.append(piece_id)
                start = end
        result = tuple(ids)
        if len(self._pieces) < 500_000:
            self._pieces[word] = result
        return result

    def known_pieces(self, word: str) -> tuple[int, ...]:
        """The word's piece ids, or () for a word that cannot be cut (unknown: left out)."""
        pieces = self._pieces.get(word)
        if pieces is None:
            pieces = self.word_ids(word)
        return () if pieces == (self.unk,) else pieces

    def ids(self, text: str) -> list[int]:
        """The token ids of ``text`` (no [CLS]/[SEP]), as the tokenizers library gives them."""
        out: list[int] = []
        known = self._pieces.get
        for word in basic_tokens(text):
            found = known(word)
            out.extend(found if found is not None else self.word_ids(word))
        return out

    def encode(self, texts: list[str]) -> np.ndarray:
        """One unit-length vector per text (zeros for a text with no known token)."""
        return self.encode_words([basic_tokens(t) for t in texts])

    def leading(self, dims: int) -> np.ndarray:
        """The table's first ``dims`` columns, contiguous. model2vec's PCA orders the columns by
        variance, so these are the text's ``dims`` principal components."""
        table = self._leading.get(dims)
        if table is None:
            table = self._leading[dims] = (
                self.vectors if dims == self.vectors.shape[1] else np.ascontiguousarray(self.vectors[:, :dims])
            )
        return table

    def encode_words(self, word_lists: list[list[str]], dims: int = DIM) -> np.ndarray:
        """``encode`` of texts already split by ``basic_tokens``: the mean of the known pieces'
        vectors (unknown words are left out, as in model2vec), normalised. ``dims`` keeps the
        leading principal components only (normalised over those).

        Each distinct word is cut into pieces once and its pieces' vectors summed into a row of a
        word table; a text is then one C-level lookup per word and one ``reduceat`` over the
        batch. The sum over words of their pieces' sums is the sum over pieces, so the direction,
        and hence the normalised vector, is the mean's.
        """
        if len(self._word_tables.get(dims, ((), {}))[1]) > MAX_WORD_ROWS:
            del self._word_tables[dims]  # a flood of distinct words: start the table again
        table, index = self._word_table(dims)
        matrix = np.zeros((len(word_lists), dims), dtype=np.float32)
        lengths = np.fromiter(map(len, word_lists), dtype=np.int64, count=len(word_lists))
        words = list(itertools.chain.from_iterable(word_lists))
        if not words:
            return matrix
        found = list(map(index.get, words))  # one C-level pass over the batch's words
        try:
            ids = np.fromiter(found, dtype=np.intp, count=len(found))
        except TypeError:  # words met for the first time (None): cut them into pieces once
            table = self._add_words(set(words).difference(index), dims)
            ids = np.fromiter(map(index.__getitem__, words), dtype=np.intp, count=len(words))
        rows = np.flatnonzero(lengths)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])[rows]
        sums = np.add.reduceat(table[ids], starts, axis=0)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        matrix[rows] = sums / norms
        return matrix

    def _word_table(self, dims: int) -> tuple[np.ndarray, dict[str, int]]:
        entry = self._word_tables.get(dims)
        if entry is None:
            # row 0: words with no known piece (their sum is zero)
            entry = self._word_tables[dims] = (np.zeros((1024, dims), dtype=np.float32), {}, [1])
        return entry[0], entry[1]

    def _add_words(self, new: set[str], dims: int) -> np.ndarray:
        """Rows of the word table for words not in it yet (sorted, so the table is the same
        whatever the order they came in): each the sum of its pieces' vectors, in one
        ``reduceat``. A word with no known piece maps to row 0, the zero vector."""
        table, index, used = self._word_tables[dims]
        pieces: list[int] = []
        starts: list[int] = []
        rows: list[str] = []
        for word in sorted(new):
            known = self.known_pieces(word)
            if known:
                starts.append(len(pieces))
                rows.append(word)
                pieces.extend(known)
            else:
                index[word] = 0
        if not rows:
            return table
        n = used[0]
        while n + len(rows) > len(table):
            table = np.vstack([table, np.zeros_like(table)])
        table[n : n + len(rows)] = np.add.reduceat(self.leading(dims)[np.asarray(pieces)], np.asarray(starts), axis=0)
        index.update(zip(rows, range(n, n + len(rows)), strict=True))
        used[0] = n + len(rows)
        self._word_tables[dims] = (table, index, used)
        return table


@cache
def default_embedder() -> StaticEmbedder:
    return StaticEmbedder()
