"""Plain records passed between readers, extraction, tone and storage.

These are the contracts between the stages of the pipeline:

    readers  -> RawDocument
    extract  -> ExtractedDocument (statements with speakers, mentions, topics)
    tone     -> fills Statement.tone / tone_band and Mention.tone_toward
    storage  -> DuckDB rows

Offsets are character offsets into ``RawDocument.text`` (for statements) or
into ``Statement.text`` (for a statement's mentions), half-open ``[start, end)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Kinds of document. A *reported* document (news) quotes officials; a
#: *first_person* document (speech, briefing, press release) is the speaker's own.
DOC_TYPES = ("reported", "first_person")

#: Kinds of statement. A *question* is a journalist's question in a transcript: no state said it,
#: so it has no speaker country and no tone, but it stays searchable and visible.
STATEMENT_KINDS = ("quote", "reported", "paragraph", "question")

#: Five tone bands, from -1 (hostile) to +1 (warm).
TONE_BANDS = ("hostile", "critical", "neutral", "cooperative", "warm")


@dataclass(frozen=True)
class RawDocument:
    """One document as a reader found it, before any extraction."""

    text: str
    source_path: str
    title: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD from metadata, if the file carried one
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    speaker: str | None = None  # for first-person documents
    speaker_country: str | None = None  # actor code
    speaker_role: str | None = None
    doc_type: str | None = None  # one of DOC_TYPES, or None to let extraction decide
    source_format: str = "text"  # text | jsonl | csv | html | feed | ungdc | telegram
    native_id: str | None = None  # the source's own id of the item (a Telegram message number)


@dataclass
class Mention:
    """An actor referred to in a statement (offsets into the statement's text)."""

    actor: str  # actor code: ISO alpha-3 or EU, UN, OSCE, CSTO, NATO, CIS, EAEU
    surface: str  # the words as the text gives them ("Yerevan", "Artsakh", "the Kremlin")
    start: int
    end: int
    tone_toward: float | None = None  # -1..+1, filled by the tone scorer
    toward_confidence: float | None = None  # 0..1, the tone model's probability of its stance class


@dataclass
class Statement:
    """A quote, a piece of reported speech, or a paragraph of a first-person text."""

    kind: str  # one of STATEMENT_KINDS
    text: str
    start: int  # offsets into the document text
    end: int
    para_start: int  # the enclosing paragraph, for the detail view
    para_end: int
    speaker: str | None = None  # canonical name, or the name as the text gives it
    speaker_id: str | None = None  # key into the speakers table when known
    speaker_country: str | None = None  # actor code
    speaker_role: str | None = None
    attribution_method: str = "none"  # e.g. metadata, verb_after, verb_before, pronoun, ...
    confidence: float = 0.0  # 0..1, how sure the attribution is
    mentions: list[Mention] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    tone: float | None = None  # -1..+1
    tone_band: str | None = None  # one of TONE_BANDS
    tone_confidence: float | None = None  # 0..1, the tone model's probability of the band's sign
    cue_signs: tuple[int, int] | None = None  # raw positive and negative cue matches (tone scorer)


@dataclass
class ExtractedDocument:
    """What extraction found in one document."""

    date: str | None  # ISO YYYY-MM-DD, or None: never invented
    date_source: str  # metadata | header | dateline | none
    doc_type: str  # one of DOC_TYPES
    statements: list[Statement]
    mentions: list[Mention]  # every actor mention in the whole text (document offsets)
    title: str | None = None
    speaker_country: str | None = None  # the metadata's country as an actor code (or as given)
    unmatched_country: str | None = None  # a metadata country that matches no actor, as given
    source_name: str | None = None  # the registry's institution or outlet (data/sources.csv)
    outlet_country: str | None = None
    source_kind: str | None = None  # official | state_media | media | other
    attribution: str | None = None  # shown with every statement (a licence may require it)
    url: str | None = None  # a link the registry knows for it when the file gave none (a Telegram post)
    n_words: int = 0
    gdelt_tone: float = 0.0  # 100 * (positive - negative cue matches) / words, the whole text
