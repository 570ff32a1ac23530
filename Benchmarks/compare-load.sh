#!/usr/bin/env bash
# Parse throughput of recbench against pandas' C parser on the same file, in the same run.
#
#   Benchmarks/compare-load.sh [FILE]
#
# Without FILE, generates a dump-sized Audioscrobbler file (24.3M lines, ~425 MB) in a
# temporary folder first. Prints both JSON results and the ratio; runs are interleaved
# (recbench, pandas, recbench, pandas) because this machine's second core drifts.
source "$(dirname "$0")/lib.sh"
file="${1:-}"
if [ -z "$file" ]; then
    dir="$(mktemp -d)"; trap 'rm -rf "$dir"' EXIT
    file="$dir/user_artist_data.txt"
    "$bin" generate --users 148000 --items 1630000 --interactions 24300000 --seed 1 --out "$file" >&2
fi
out="$root/Benchmarks/out"; mkdir -p "$out"
for round in 1 2; do
    "$bin" bench load "$file" --format audioscrobbler --repetitions 3 --json > "$out/load-recbench-$round.json"
    "$py" "$root/Benchmarks/python/load_pandas.py" "$file" --repetitions 3 > "$out/load-pandas-$round.json"
done
"$py" - "$out" <<'PY'
import json, sys, glob
out = sys.argv[1]
rb = [json.load(open(f)) for f in sorted(glob.glob(out + "/load-recbench-*.json"))]
pd = [json.load(open(f)) for f in sorted(glob.glob(out + "/load-pandas-*.json"))]
best_rb = min(r["parseSeconds"] for r in rb)
best_pd = min(p["parseSeconds"] for p in pd)
result = {
    "bytes": rb[0]["bytes"], "rows": rb[0]["rows"],
    "recbenchParseSeconds": best_rb, "recbenchMegabytesPerSecond": rb[0]["bytes"] / best_rb / 1e6,
    "pandasParseSeconds": best_pd, "pandasMegabytesPerSecond": pd[0]["bytes"] / best_pd / 1e6,
    "speedupOverPandas": best_pd / best_rb,
    "cacheReadSeconds": min(r["cacheReadSeconds"] for r in rb),
    "cacheSpeedup": best_rb / min(r["cacheReadSeconds"] for r in rb),
    "recbenchPeakMegabytes": max(r["peakResidentMegabytes"] for r in rb),
    "pandasPeakMegabytes": max(p["peakResidentMegabytes"] for p in pd),
}
print(json.dumps(result, indent=2))
PY
