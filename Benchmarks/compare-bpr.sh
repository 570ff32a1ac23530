#!/usr/bin/env bash
# BPR seconds per epoch of recbench against implicit's BayesianPersonalizedRanking, same split,
# same factors (64), learning rate (0.01), λ (0.01) and epochs (20), 2 threads, interleaved rounds:
#   - 5M generated interactions (100k users x 50k items, seed 43), 80/20 holdout: 4M samples an epoch;
#   - Last.fm 2K, the same holdout.
# recbench runs both negative samplers (uniform, the default; popularity, implicit's).
#
#   Benchmarks/compare-bpr.sh [ROUNDS]
source "$(dirname "$0")/lib.sh"
rounds="${1:-2}"
out="$root/Benchmarks/out/bpr"; mkdir -p "$out"
"$bin" split lastfm-2k --split holdout --fraction 0.2 --seed 2024 --out "$out/lastfm-2k" >&2
if [ ! -f "$out/synthetic-5m/test.tsv" ]; then
    "$bin" generate --users 100000 --items 50000 --interactions 5000000 --seed 43 --format tsv --out "$out/plays.tsv" >&2
    "$bin" split "$out/plays.tsv" --format delimited --time-column 3 --split holdout --fraction 0.2 --seed 2024 --out "$out/synthetic-5m" >&2
    rm -f "$out/plays.tsv"
fi
for data in synthetic-5m lastfm-2k; do
    : > "$out/$data-recbench.jsonl"; : > "$out/$data-implicit.jsonl"
    for round in $(seq "$rounds"); do
        for negatives in uniform popularity; do
            RECBENCH_THREADS=2 "$bin" bench fit --split-dir "$out/$data" --algorithm bpr --factors 64 --learning-rate 0.01 \
                --regularization 0.01 --epochs 20 --negatives "$negatives" --repetitions 1 | tr -d '\n' >> "$out/$data-recbench.jsonl"
            echo >> "$out/$data-recbench.jsonl"
        done
        "$py" "$root/Benchmarks/python/fit_implicit.py" "$out/$data" --models bpr --threads 2 --repetitions 1 \
            --factors 64 --learning-rate 0.01 --regularization 0.01 --epochs 20 >> "$out/$data-implicit.jsonl"
    done
done
"$py" - "$out" <<'PY'
import json, sys
out = sys.argv[1]
result = {}
for data in ("synthetic-5m", "lastfm-2k"):
    ours = [json.loads(l) for l in open(f"{out}/{data}-recbench.jsonl") if l.strip()]
    theirs = [json.loads(l) for l in open(f"{out}/{data}-implicit.jsonl") if l.strip()]
    peer = min(r["secondsPerEpoch"] for r in theirs)
    rows = {"samplesPerEpoch": theirs[0]["samplesPerEpoch"], "implicitSecondsPerEpoch": peer,
            "implicitNsPerSample": peer / theirs[0]["samplesPerEpoch"] * 1e9, "implicitNDCG@10": theirs[0]["NDCG@10"]}
    for negatives in ("uniform", "popularity"):
        mine = [r for r in ours if ("popularity" in r["algorithm"]) == (negatives == "popularity")]
        best = min(float(r["secondsPerEpoch"]) for r in mine)
        rows[negatives] = {"recbenchSecondsPerEpoch": best, "recbenchNsPerSample": best / theirs[0]["samplesPerEpoch"] * 1e9,
                           "ratio": best / peer, "recbenchNDCG@10": float(mine[0]["NDCG@10"])}
    result[data] = rows
print(json.dumps(result, indent=2))
PY
