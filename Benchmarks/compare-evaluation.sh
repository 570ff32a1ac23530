#!/usr/bin/env bash
# The evaluator against implicit.evaluation.ranking_metrics_at_k on the same split and the same
# 64-factor scores: 100,000 users x 50,000 items (5M generated interactions, 80/20 per-user holdout).
#
#   Benchmarks/compare-evaluation.sh
source "$(dirname "$0")/lib.sh"
work="$root/Benchmarks/out/evaluation"; mkdir -p "$work"
if [ ! -f "$work/split/test.tsv" ]; then
    "$bin" generate --users 100000 --items 50000 --interactions 5000000 --seed 43 --format tsv --out "$work/plays.tsv" >&2
    "$bin" split "$work/plays.tsv" --format delimited --time-column 3 --split holdout --fraction 0.2 --seed 2024 --out "$work/split" >&2
fi
for round in 1 2; do
    "$bin" bench evaluate --split-dir "$work/split" --factors 64 --seed 7 --write-factors "$work" --threads 2 \
        --metrics P@10 MAP@10 NDCG@10 AUC > "$work/recbench-$round.json"
    "$py" "$root/Benchmarks/python/eval_implicit.py" "$work/split" "$work" --factors 64 --threads 2 --repetitions 2 > "$work/implicit-$round.json"
done
"$py" - "$work" <<'PY'
import glob, json, sys
work = sys.argv[1]
ours = [json.load(open(f)) for f in sorted(glob.glob(work + "/recbench-*.json"))]
theirs = [json.load(open(f)) for f in sorted(glob.glob(work + "/implicit-*.json"))]
o, t = min(x["seconds"] for x in ours), min(x["seconds"] for x in theirs)
print(json.dumps({"users": ours[0]["users"], "items": ours[0]["items"], "recbenchSeconds": o, "implicitSeconds": t,
                  "speedup": t / o, "recbench": {k: ours[0][k] for k in ("P@10", "MAP@10", "NDCG@10", "AUC")},
                  "implicit": theirs[0]["metrics"]}, indent=2))
PY
