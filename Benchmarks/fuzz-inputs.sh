#!/usr/bin/env bash
# Seeded mutation fuzzing of recbench's input readers (loaders, run/qrels, split folders,
# experiment files), bounded in cases and time. Needs only python3.
#
#   Benchmarks/fuzz-inputs.sh [CASES] [SECONDS] [SEED]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
swift build --product recbench >&2
mkdir -p Benchmarks/out/fuzz
python3 Benchmarks/python/fuzz_inputs.py "$root/.build/debug/recbench" "$root/Benchmarks/out/fuzz" \
    --cases "${1:-3000}" --seconds "${2:-900}" --seed "${3:-2026}"
