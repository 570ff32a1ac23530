#!/usr/bin/env bash
# Agreement of recbench's P@10, R@10, MAP@10 and NDCG@10 with pytrec_eval (trec_eval) and ranx
# on MovieLens 100K (80/20 per-user holdout, seed 1, popularity ranking of depth 100).
#
#   Benchmarks/agreement-trec.sh [MOVIELENS_100K_DIR]
source "$(dirname "$0")/lib.sh"
data="${1:-movielens-100k}"
out="$root/Benchmarks/out"; mkdir -p "$out"
"$bin" evaluate "$data" --split holdout --fraction 0.2 --seed 1 --bootstrap 0 \
    --export-run "$out/ml100k.run" --export-qrels "$out/ml100k.qrels" --metrics P@10 >/dev/null
"$bin" evaluate --run "$out/ml100k.run" --qrels "$out/ml100k.qrels" --metrics P@10 R@10 MAP@10 NDCG@10 --json > "$out/ml100k-recbench.json"
"$py" "$root/Benchmarks/python/trec_agreement.py" "$out/ml100k.run" "$out/ml100k.qrels" "$out/ml100k-recbench.json"
