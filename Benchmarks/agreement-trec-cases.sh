#!/usr/bin/env bash
# Adversarial run/qrels cases (ties, duplicates, graded qrels, missing users, unicode and invalid
# UTF-8 ids, huge ids, comments) plus seeded random ones, scored by recbench and by pytrec_eval
# (and a trec_eval 10 binary, if given), compared per query to 1e-12.
#
#   Benchmarks/agreement-trec-cases.sh [RANDOM_CASES] [TREC_EVAL_BINARY]
# A trec_eval binary that prints full precision: build trec_eval 10 with "%6.4f" replaced by "%.17g".
source "$(dirname "$0")/lib.sh"
args=("$bin" "$root/Benchmarks/out/trec-cases" --random "${1:-2000}" --seed 12)
[ -n "${2:-}" ] && args+=(--trec-eval "$2")
"$py" "$root/Benchmarks/python/trec_cases.py" "${args[@]}"
