"""The optional embeddings extra (pipelines/derive/embeddings.py): grouping feedback by meaning for
theme suggestions, with a fake encoder everywhere and the real model only where the extra
is installed; without it, or when the model fails, suggestions are grouped by shared words."""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import socket
import sys

import numpy as np
import pandas as pd
import pytest

from pipelines.derive import embeddings
from pipelines.derive.suggestions import _terms, suggest_themes
from pipelines.ingest.importer import ingest_file
from tests.conftest import write_text

needs_sklearn = pytest.mark.skipif(importlib.util.find_spec("sklearn") is None,
                                   reason="scikit-learn (the embeddings extra) is not installed")
needs_extra = pytest.mark.skipif(not embeddings.available(),
                                 reason="the optional embeddings extra is not installed")

# Three ways of saying "the portfolio was weak" that share no word (after stopwords), and
# two notes about other things; none is tagged by the default codebook.
PARAPHRASES = ["Weak portfolio pieces", "Your showcase of past projects felt thin",
               "Not enough evidence of shipped design work"]
OTHERS = ["Please use a larger font on the CV", "The office dog was allergic to me"]
VECTORS = {PARAPHRASES[0]: [1.0, 0.05, 0.0], PARAPHRASES[1]: [0.98, 0.0, 0.1],
           PARAPHRASES[2]: [0.97, 0.08, 0.04], OTHERS[0]: [0.0, 1.0, 0.0],
           OTHERS[1]: [0.0, 0.0, 1.0]}


def _fake_encode(texts: list[str]) -> np.ndarray:
    return np.array([VECTORS[t] for t in texts])


def _ingest(con, tmp_path, feedback: list[str]) -> None:
    rows = "".join(f'C{i},Designer,2025-03-{i + 1:02d},Rejected,"{text}"\n'
                   for i, text in enumerate(feedback))
    ingest_file(con, write_text(tmp_path, "t.csv",
                                "Company,Job Title,Date Applied,Status,Feedback\n" + rows))


def _same(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each row's examples sorted: the order in which DuckDB returns the
    distinct texts, and so of the quotes, may differ between calls."""
    return frame.assign(examples=[sorted(e) for e in frame["examples"]])


@pytest.fixture
def fake_model(monkeypatch):
    """The extra counts as installed and the default encoder is the fake one."""
    monkeypatch.setattr(embeddings, "available", lambda: True)
    monkeypatch.setattr(embeddings, "default_encoder", lambda scope="": _fake_encode)


@needs_sklearn
def test_group_texts_puts_close_vectors_together():
    """Near-identical vectors share a group, distant ones do not; a lone text is its own."""
    texts = [PARAPHRASES[0], OTHERS[0], PARAPHRASES[1], PARAPHRASES[2], OTHERS[1]]
    assert embeddings.group_texts(texts, encode=_fake_encode) == [0, 1, 0, 0, 2]


def test_group_texts_of_fewer_than_two_texts_encodes_nothing():
    """No texts or one text needs no model: [] and [0]."""
    def refuse(texts):
        raise AssertionError("encoded")

    assert embeddings.group_texts([], encode=refuse) == []
    assert embeddings.group_texts(["alone"], encode=refuse) == [0]


@needs_sklearn
def test_paraphrases_sharing_no_word_become_one_suggestion(con, tmp_path, fake_model):
    """Grouped by meaning, three paraphrases with no word in common make one suggestion
    named by a term of their own texts; by shared words they make none."""
    _ingest(con, tmp_path, PARAPHRASES + OTHERS)
    assert suggest_themes(con, method="terms").empty
    suggestions = suggest_themes(con, method="embeddings")
    assert list(suggestions.columns) == ["term", "applications", "examples", "method"]
    assert len(suggestions) == 1
    row = suggestions.iloc[0]
    assert row["applications"] == 3 and row["method"] == "embeddings"
    assert row["term"] in set().union(*map(_terms, PARAPHRASES))
    assert set(row["examples"]) == set(PARAPHRASES)
    assert row["term"] in _terms(row["examples"][0])  # a quote holding the term comes first


@needs_sklearn
def test_groups_smaller_than_min_count_are_dropped(con, tmp_path, fake_model):
    """With min_count=4 the group of three paraphrases is not suggested."""
    _ingest(con, tmp_path, PARAPHRASES + OTHERS)
    assert suggest_themes(con, min_count=4, method="embeddings").empty


def test_auto_without_the_extra_is_the_terms_grouping(con, tmp_path, monkeypatch):
    """method="auto" without the extra gives exactly the shared-word suggestions."""
    monkeypatch.setattr(embeddings, "available", lambda: False)
    monkeypatch.setattr(embeddings, "group_texts", pytest.fail)
    _ingest(con, tmp_path, ["Weak portfolio samples", "Portfolio samples too academic",
                            "Salary expectations too high"] + OTHERS)
    auto = suggest_themes(con)
    pd.testing.assert_frame_equal(_same(auto), _same(suggest_themes(con, method="terms")))
    assert list(auto["term"]) == ["portfolio samples"]
    assert list(auto["applications"]) == [2] and list(auto["method"]) == ["terms"]


@pytest.mark.parametrize("failure", ["refused at load", "fails while encoding"])
def test_a_failing_model_falls_back_to_terms(con, tmp_path, monkeypatch, caplog, failure):
    """A model that cannot load (e.g. a weights hash mismatch) or fails while encoding
    gives the shared-word suggestions and a logged warning, not an error."""
    monkeypatch.setattr(embeddings, "available", lambda: True)
    monkeypatch.setattr(embeddings, "_model", None)  # nothing cached from earlier tests
    if failure == "refused at load":
        def load():
            raise embeddings.EmbeddingsUnavailable("the model weights have another sha256")
        monkeypatch.setattr(embeddings, "_load_model", load)
    else:
        def encode(texts):
            raise RuntimeError("out of memory")
        monkeypatch.setattr(embeddings, "default_encoder", lambda scope="": encode)
    _ingest(con, tmp_path, ["Weak portfolio samples", "Portfolio samples too academic"])
    with caplog.at_level(logging.WARNING, logger="pipelines.edits.codebook"):
        for method in ("auto", "embeddings"):
            got = suggest_themes(con, method=method)
            pd.testing.assert_frame_equal(_same(got), _same(suggest_themes(con, method="terms")))
            assert list(got["method"]) == ["terms"]
    assert len(caplog.records) == 2
    assert all("grouping by shared words" in r.getMessage() for r in caplog.records)


def test_weights_with_another_hash_are_refused(tmp_path):
    """check_weights accepts a file with the expected sha256 and refuses any other."""
    path = tmp_path / "model.safetensors"
    path.write_bytes(b"not the weights")
    embeddings.check_weights(path, hashlib.sha256(b"not the weights").hexdigest())
    with pytest.raises(embeddings.EmbeddingsUnavailable, match="refusing to load"):
        embeddings.check_weights(path)
    assert len(embeddings.WEIGHTS_SHA256) == 64


def test_loading_checks_the_weights_before_importing_the_model(tmp_path, monkeypatch):
    """A model package whose weights differ is refused before sentence-transformers is
    imported, with the hub switched offline first."""
    package = tmp_path / "fake_minilm"
    (package / "model").mkdir(parents=True)
    (package / "model" / "model.safetensors").write_bytes(b"tampered")
    (package / "__init__.py").write_text(
        "from pathlib import Path\n"
        "def get_model_path():\n    return Path(__file__).parent / 'model'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(embeddings, "MODEL_PACKAGE", "fake_minilm")
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "0")
    monkeypatch.delitem(sys.modules, "sentence_transformers", raising=False)
    with pytest.raises(embeddings.EmbeddingsUnavailable, match="sha256"):
        embeddings._load_model()
    assert "sentence_transformers" not in sys.modules
    assert os.environ["HF_HUB_OFFLINE"] == os.environ["TRANSFORMERS_OFFLINE"] == "1"


def test_an_unknown_method_is_refused(con):
    """method must be auto, terms or embeddings."""
    with pytest.raises(ValueError, match="method"):
        suggest_themes(con, method="kmeans")


@needs_extra
def test_the_real_model_groups_paraphrases_offline(monkeypatch):
    """The bundled model (hash-checked) loads and encodes without opening a connection,
    and puts three ways of saying 'the pay asked was too high' in one group."""
    attempts = []

    def no_network(self, address):
        attempts.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    texts = ["Salary expectations were above our budget",
             "The pay you asked for is more than we can offer",
             "Compensation ask too high",
             "We went with someone who knows Kubernetes better",
             "Your cloud infrastructure skills were weaker than other candidates'"]
    encode = embeddings.default_encoder()
    vectors = encode(texts)
    assert vectors.shape == (5, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-4)
    groups = embeddings.group_texts(texts)
    assert groups[0] == groups[1] == groups[2]
    assert groups[3] != groups[0] and groups[4] != groups[0]
    assert attempts == []


def test_remembered_vectors_belong_to_one_database(monkeypatch):
    """A text encoded for one client's database is encoded again for another: the vector
    cache of one scope is never read by another."""
    calls: list[list[str]] = []

    class Model:
        def encode(self, texts, **_):
            calls.append(list(texts))
            return np.array([VECTORS[t] for t in texts])

    monkeypatch.setattr(embeddings, "_model", Model())
    monkeypatch.setattr(embeddings, "_vectors", {})
    embeddings.default_encoder("/ws/a.duckdb")(PARAPHRASES)
    embeddings.default_encoder("/ws/a.duckdb")(PARAPHRASES)
    assert calls == [PARAPHRASES]  # the second call for a.duckdb is answered from memory
    embeddings.default_encoder("/ws/b.duckdb")(PARAPHRASES)
    assert calls == [PARAPHRASES, PARAPHRASES]
    assert set(embeddings._vectors) == {"/ws/a.duckdb", "/ws/b.duckdb"}
