#!/usr/bin/env bash
# Fit times and NDCG@10 of recbench's ALS (CG) and item-kNN (cosine, BM25) against the `implicit`
# library on the same splits, same hyperparameters, 2 threads, interleaved:
#   - Last.fm 2K, 80/20 per-user holdout (seed 2024);
#   - 5M generated interactions (100k users x 50k items, seed 43), the same holdout.
# ALS: factors 64, 15 iterations, lambda 0.01, alpha 1, 3 CG steps; kNN: K = 100 (BM25 K1 1.2, B 0.75).
#
#   Benchmarks/compare-fit.sh
source "$(dirname "$0")/lib.sh"
out="$root/Benchmarks/out/fit"; mkdir -p "$out"
"$bin" split lastfm-2k --split holdout --fraction 0.2 --seed 2024 --out "$out/lastfm-2k" >&2
if [ ! -f "$out/synthetic-5m/test.tsv" ]; then
    "$bin" generate --users 100000 --items 50000 --interactions 5000000 --seed 43 --format tsv --out "$out/plays.tsv" >&2
    "$bin" split "$out/plays.tsv" --format delimited --time-column 3 --split holdout --fraction 0.2 --seed 2024 --out "$out/synthetic-5m" >&2
fi
for data in lastfm-2k synthetic-5m; do
    : > "$out/$data-recbench.jsonl"; : > "$out/$data-implicit.jsonl"
    for round in 1 2; do
        for spec in "als --factors 64 --iterations 15 --regularization 0.01 --alpha 1" "item-knn --neighbors 100" "bm25 --neighbors 100"; do
            # shellcheck disable=SC2086
            RECBENCH_THREADS=2 "$bin" bench fit --split-dir "$out/$data" --algorithm $spec --repetitions 2 | tr -d '\n' >> "$out/$data-recbench.jsonl"
            echo >> "$out/$data-recbench.jsonl"
        done
        "$py" "$root/Benchmarks/python/fit_implicit.py" "$out/$data" --threads 2 --repetitions 2 >> "$out/$data-implicit.jsonl"
    done
done
"$py" - "$out" <<'PY'
import json, sys
out = sys.argv[1]
pairs = {"ALS": "als", "ItemKNN(cosine": "cosine", "ItemKNN(bm25": "bm25"}
result = {}
for data in ("lastfm-2k", "synthetic-5m"):
    ours = [json.loads(l) for l in open(f"{out}/{data}-recbench.jsonl") if l.strip()]
    theirs = [json.loads(l) for l in open(f"{out}/{data}-implicit.jsonl") if l.strip()]
    rows = {}
    for prefix, name in pairs.items():
        o = [r for r in ours if r["algorithm"].startswith(prefix)]
        t = [r for r in theirs if r["model"] == name]
        best_o = min(float(r["fitSeconds"]) for r in o)
        best_t = min(r["fitSeconds"] for r in t)
        rows[name] = {"recbenchFitSeconds": best_o, "implicitFitSeconds": best_t, "ratio": best_o / best_t,
                      "recbenchNDCG@10": float(o[0]["NDCG@10"]), "implicitNDCG@10": t[0]["NDCG@10"],
                      "ndcgDifference": float(o[0]["NDCG@10"]) - t[0]["NDCG@10"]}
        if name == "als":
            rows[name]["recbenchSecondsPerIteration"] = best_o / 15
            rows[name]["implicitSecondsPerIteration"] = best_t / 15
    result[data] = rows
print(json.dumps(result, indent=2))
PY
