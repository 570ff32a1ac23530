#!/usr/bin/env bash
# The course lab with Spark MLlib beside RecBench, on the same split and the same negatives:
#   1. recbench split writes the lab's split (full aliases, 90/10 random rows, seed 54321);
#   2. Spark MLlib (pyspark from pip, local[2], Java 17) trains the lab's ALS grid on train.tsv and
#      writes one TREC run per model (every known artist scored for each test user);
#   3. recbench lab scores its own models and Spark's runs with the same negatives and policy.
#
#   Benchmarks/lab-spark.sh [DATA_DIR] [--iterations N] [--policy lowest|drop|nan-high]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
data="${1:-datasets/audioscrobbler-sample}"; shift || true
iterations=""; policy="lowest"
while [ $# -gt 0 ]; do
    case "$1" in
        --iterations) iterations="--iterations $2"; shift 2 ;;
        --policy) policy="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
swift build -c release --product recbench >&2
bin="$root/.build/release/recbench"
venv="$root/Benchmarks/.venv-spark"
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv" >&2; fi
"$venv/bin/python" -c "import pyspark, numpy" 2>/dev/null || "$venv/bin/pip" install --quiet "pyspark==4.3.0" numpy >&2
out="$root/Benchmarks/out/lab-spark"; rm -rf "$out"; mkdir -p "$out"
"$bin" split "$data" --full-aliases --split random --fraction 0.1 --seed 54321 --out "$out/split" >&2
# shellcheck disable=SC2086
"$venv/bin/python" "$root/Benchmarks/python/lab_spark.py" "$out/split" "$out/runs" $iterations >&2
runs=()
for f in "$out"/runs/*.run; do runs+=(--run "$f"); done
echo "== RecBench"
"$bin" lab --data "$data" --policy "$policy" ${iterations:+--iterations ${iterations#--iterations }}
echo "== Spark MLlib $("$venv/bin/python" -c 'import pyspark; print(pyspark.__version__)'), scored by recbench lab"
"$bin" lab --data "$data" --policy "$policy" --runs-only "${runs[@]}"
