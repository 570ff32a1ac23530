#!/usr/bin/env bash
# Explicit ratings against the peers, measured in one run: Surprise (scikit-surprise, the peers'
# venv) and Spark MLlib's explicit ALS (pyspark, Benchmarks/.venv-spark) beside RecBench.
#
#   Benchmarks/compare-surprise.sh [DATA] [--algorithms a,b,...] [--threads 1,2] [--rounds N]
#       [--skip-spark] [--skip-surprise] [--skip-same-folds] [--rating-scale LO,HI]
#       [--never-play-again drop|zero] [--out DIR] [--report-only] [-- EXTRA RECBENCH OPTIONS]
#
# DATA: a folder or file (default ../shared/datasets/movielens-100k, u.data inside; MovieLens files
# are never committed). Exit 2 with a message when it is missing. Surprise reads it as
# Benchmarks/python/surprise_peer.py says (MovieLens, Yahoo! Music R1/R3 by name; any other file:
# user, item, rating in the first three columns, separator guessed, a header skipped); the rating
# scale is --rating-scale (passed to recbench too), else the data's min and max on both sides.
# Options after `--` go to `recbench evaluate DATA` and `recbench split` (e.g. --format delimited).
#
# 1. Published protocol, per algorithm, interleaved (Surprise, RecBench at each --threads count, next
#    algorithm; all of it --rounds times, the median time reported):
#    - Surprise: cross_validate(Class(), data, ["rmse", "mae"], cv=KFold(n_splits=5, random_state=0,
#      shuffle=True)), the class's defaults (random_state=0 where it takes one, as Surprise's own
#      examples/benchmark.py), timed in-process (5 fits + tests, the load excluded), pinned with
#      `taskset -c 0` (Surprise is single-threaded);
#    - RecBench: `recbench evaluate DATA --task rating --algorithm NAME --split k-fold --folds 5
#      --seed 0 --metrics RMSE MAE --json`, RECBENCH_THREADS=T (and --threads T when the command
#      has it) under `taskset -c 0` (T = 1) or `taskset -c 0,1` (T = 2), timed as a whole command
#      (wall: process start, load, 5 fits and evaluations); the in-process fit + evaluation seconds
#      of the JSON's perFold are reported beside it. An algorithm recbench does not know yet is
#      reported "missing".
#    Names <-> Surprise classes: normal NormalPredictor, baseline BaselineOnly, svd SVD, svdpp SVDpp,
#    nmf NMF, slope-one SlopeOne, knn-basic KNNBasic, knn-means KNNWithMeans, knn-baseline
#    KNNBaseline, co-clustering CoClustering. The two do not share folds here (Surprise's KFold vs
#    recbench's): part 2 removes that noise.
# 2. Same folds: `recbench split DATA --split k-fold --folds 5 --fold i --seed 0` (i = 1..5) writes
#    OUT/folds/fold-i/{train,test}.tsv; Surprise fits each train.tsv (load_from_df +
#    build_full_trainset) and tests test.tsv; RecBench runs `recbench evaluate --split-dir
#    OUT/folds/fold-i --task rating --algorithm NAME --metrics RMSE MAE --json`. Per-fold RMSE both
#    ways and their mean absolute difference: a check of definitions, free of fold noise.
# 3. Spark MLlib explicit ALS on the same fold files: ALS(rank=10, maxIter=10, regParam=0.1,
#    implicitPrefs=False, seed=0, coldStartStrategy="nan"), local[1] (taskset -c 0) and local[2]
#    (taskset -c 0,1); RMSE/MAE Spark's own (cold-start rows dropped) and harmonised with RecBench's
#    rules (NaN -> training mean, clipped to the rating scale); fit + predict seconds per fold
#    in-process, JVM start apart. RecBench: `--algorithm als-explicit --param factors=10 --param
#    iterations=10 --param regularization=0.1` on the same folds at each thread count.
# 4. A markdown table on stdout and the same as JSON in OUT/results.json (default OUT
#    Benchmarks/out/surprise); raw lines in OUT/*.jsonl. --report-only rebuilds the table and the
#    JSON from OUT/*.jsonl of an earlier run (with its DATA, --algorithms and --threads) without
#    running anything.
#
# Environment: RECBENCH_BIN (a recbench binary: skips the release build), SURPRISE_PYTHON (a python
# with scikit-surprise and pandas: skips Benchmarks/python/venv.sh), SPARK_PYTHON (a python with
# pyspark: skips Benchmarks/.venv-spark).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

data="../shared/datasets/movielens-100k"
algorithms="normal,baseline,svd,svdpp,nmf,slope-one,knn-basic,knn-means,knn-baseline,co-clustering"
threads="1,2"; rounds=1; skip_spark=0; skip_surprise=0; skip_same=0; report_only=0
rating_scale=""; never=""; out="$root/Benchmarks/out/surprise"; extra=()
usage() { sed -n '5,7p' "$0" | sed 's/^# \{0,3\}//' >&2; }
positional=0
while [ $# -gt 0 ]; do
    case "$1" in
        --algorithms) algorithms="$2"; shift 2 ;;
        --threads) threads="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --skip-spark) skip_spark=1; shift ;;
        --skip-surprise) skip_surprise=1; shift ;;
        --skip-same-folds) skip_same=1; shift ;;
        --rating-scale) rating_scale="$2"; shift 2 ;;
        --never-play-again) never="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --report-only) report_only=1; shift ;;
        --) shift; extra=("$@"); break ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "unknown option $1" >&2; usage; exit 2 ;;
        *) if [ "$positional" = 1 ]; then echo "one DATA only (got $data and $1)" >&2; exit 2; fi
           data="$1"; positional=1; shift ;;
    esac
done
if [ ! -e "$data" ]; then
    echo "compare-surprise: DATA $data not found (a MovieLens 100K folder with u.data, or a ratings file); MovieLens files are not in the repository" >&2
    exit 2
fi
data="$(cd "$(dirname "$data")" && pwd)/$(basename "$data")"
case "$rounds" in ''|*[!0-9]*|0) echo "--rounds takes a positive integer" >&2; exit 2 ;; esac
for t in ${threads//,/ }; do
    case "$t" in ''|*[!0-9]*|0) echo "--threads takes positive integers separated by commas" >&2; exit 2 ;; esac
done

mkdir -p "$out"
out="$(cd "$out" && pwd)"
if [ "$report_only" = 0 ]; then

if [ -n "${RECBENCH_BIN:-}" ]; then bin="$RECBENCH_BIN"; else
    swift build -c release --product recbench >&2
    bin="$root/.build/release/recbench"
fi
if [ "$skip_surprise" = 0 ]; then py="${SURPRISE_PYTHON:-$("$root/Benchmarks/python/venv.sh")}"; fi
if [ "$skip_spark" = 0 ]; then
    spark_py="${SPARK_PYTHON:-}"
    if [ -z "$spark_py" ]; then
        venv="$root/Benchmarks/.venv-spark"
        if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv" >&2; fi
        "$venv/bin/python" -c "import pyspark, numpy" 2>/dev/null || "$venv/bin/pip" install --quiet "pyspark==4.3.0" numpy >&2
        spark_py="$venv/bin/python"
    fi
fi
mkdir -p "$out"
: > "$out/surprise-cv.jsonl"; : > "$out/recbench-cv.jsonl"; : > "$out/surprise-folds.jsonl"
: > "$out/recbench-folds.jsonl"; : > "$out/spark.jsonl"

# Pins a command to the first T cores (no pinning without taskset or with fewer cores).
cores="$(nproc 2>/dev/null || echo 1)"
pinned() {
    local t="$1"; shift
    if command -v taskset > /dev/null && [ "$t" -le "$cores" ]; then taskset -c "$(seq -s, 0 $((t - 1)))" "$@"; else "$@"; fi
}
now() { date +%s.%N; }

# What this recbench can do (the rating task and options arrived in issue 14).
evaluate_help="$("$bin" evaluate --help 2>&1 || true)"
split_help="$("$bin" split --help 2>&1 || true)"
has() { grep -q -- "$2" <<< "$1"; }
rating_task=(); has "$evaluate_help" "--task" && rating_task=(--task rating)
# --rating-scale is an evaluation option (evaluate, not split); --never-play-again a loading one
# (evaluate DATA and split, not evaluate --split-dir).
scale_option=(); [ -n "$rating_scale" ] && scale_option+=(--rating-scale "$rating_scale")
never_option=(); [ -n "$never" ] && never_option+=(--never-play-again "$never")
surprise_options=("${scale_option[@]}" "${never_option[@]}")

# Runs recbench with T threads, appends {"name", "threads", "round", "exit", "wallSeconds", "output", "error"}.
recbench_line() {
    local file="$1" name="$2" t="$3" round="$4"; shift 4
    local thread_option=(); has "$evaluate_help" "--threads" && thread_option=(--threads "$t")
    local start end status=0
    start="$(now)"
    RECBENCH_THREADS="$t" pinned "$t" "$bin" "$@" "${thread_option[@]}" > "$out/last.json" 2> "$out/last.err" || status=$?
    end="$(now)"
    python3 - "$file" "$name" "$t" "$round" "$status" "$start" "$end" "$out/last.json" "$out/last.err" <<'PY'
import json, sys
file, name, t, rnd, status, start, end, output, error = sys.argv[1:]
try:
    parsed = json.load(open(output)) if int(status) == 0 else None
except ValueError:
    parsed = None
err = open(error).read().strip().splitlines()
with open(file, "a") as f:
    f.write(json.dumps({"name": name, "threads": int(t), "round": int(rnd), "exit": int(status),
                        "wallSeconds": float(end) - float(start), "output": parsed,
                        "error": next((l.strip() for l in err if l.strip()), None) if parsed is None else None}) + "\n")
PY
}

echo "== 1. published protocol: $algorithms, threads $threads, $rounds round(s)" >&2
for round in $(seq "$rounds"); do
    for name in ${algorithms//,/ }; do
        if [ "$skip_surprise" = 0 ]; then
            echo "   round $round $name: Surprise" >&2
            pinned 1 "$py" "$root/Benchmarks/python/surprise_peer.py" cv "$data" --algorithm "$name" "${surprise_options[@]}" \
                2> "$out/surprise.err" | python3 -c "import json,sys; d=json.loads(sys.stdin.read()); d['round']=$round; print(json.dumps(d))" \
                >> "$out/surprise-cv.jsonl" || echo "   Surprise $name failed: $(tail -1 "$out/surprise.err")" >&2
        fi
        for t in ${threads//,/ }; do
            echo "   round $round $name: RecBench, $t thread(s)" >&2
            recbench_line "$out/recbench-cv.jsonl" "$name" "$t" "$round" evaluate "$data" "${rating_task[@]}" --algorithm "$name" \
                --split k-fold --folds 5 --seed 0 --metrics RMSE MAE --json "${scale_option[@]}" "${never_option[@]}" "${extra[@]}"
        done
    done
done

need_folds=0
{ [ "$skip_same" = 0 ] || [ "$skip_spark" = 0 ]; } && need_folds=1
if [ "$need_folds" = 1 ]; then
    echo "== 2. same folds: recbench split k-fold, seed 0" >&2
    split_options=()
    if has "$split_help" "--task"; then split_options+=(--task rating)
    elif [ -f "$data/u.data" ] || [ -f "$data/ratings.csv" ] || [ -f "$data/ratings.dat" ] \
        || [ "$(basename "$data")" = u.data ] || [ "$(basename "$data")" = ratings.csv ] || [ "$(basename "$data")" = ratings.dat ]; then
        split_options+=(--rating-weights)   # MovieLens keeps the stars as values (no --task on this split)
    fi
    rm -rf "$out/folds"
    for i in 1 2 3 4 5; do
        "$bin" split "$data" "${split_options[@]}" "${never_option[@]}" "${extra[@]}" --split k-fold --folds 5 --fold "$i" \
            --seed 0 --out "$out/folds/fold-$i" > /dev/null
    done
    fold_dirs=("$out"/folds/fold-{1,2,3,4,5})
fi

if [ "$skip_same" = 0 ]; then
    for name in ${algorithms//,/ }; do
        if [ "$skip_surprise" = 0 ]; then
            echo "   same folds $name: Surprise" >&2
            pinned 1 "$py" "$root/Benchmarks/python/surprise_peer.py" folds "${fold_dirs[@]}" --algorithm "$name" \
                "${scale_option[@]}" 2> "$out/surprise.err" >> "$out/surprise-folds.jsonl" \
                || echo "   Surprise $name failed: $(tail -1 "$out/surprise.err")" >&2
        fi
        t="${threads%%,*}"
        for i in 1 2 3 4 5; do
            recbench_line "$out/recbench-folds.jsonl" "$name" "$t" "$i" evaluate --split-dir "$out/folds/fold-$i" \
                "${rating_task[@]}" --algorithm "$name" --metrics RMSE MAE --json "${scale_option[@]}"
        done
    done
fi

if [ "$skip_spark" = 0 ]; then
    echo "== 3. explicit ALS on the same folds: Spark MLlib and RecBench (rank 10, 10 iterations, λ 0.1)" >&2
    for t in ${threads//,/ }; do
        echo "   Spark local[$t]" >&2
        pinned "$t" "$spark_py" "$root/Benchmarks/python/spark_explicit.py" "${fold_dirs[@]}" --master "local[$t]" \
            --rank 10 --iterations 10 --regularization 0.1 --seed 0 "${scale_option[@]}" \
            2> "$out/spark.err" >> "$out/spark.jsonl" || echo "   Spark local[$t] failed: $(tail -1 "$out/spark.err")" >&2
        echo "   RecBench als-explicit, $t thread(s)" >&2
        for i in 1 2 3 4 5; do
            recbench_line "$out/recbench-folds.jsonl" "als-explicit" "$t" "$i" evaluate --split-dir "$out/folds/fold-$i" \
                "${rating_task[@]}" --algorithm als-explicit --param factors=10 --param iterations=10 \
                --param regularization=0.1 --metrics RMSE MAE --json "${scale_option[@]}"
        done
    done
fi
rm -f "$out/last.json" "$out/last.err"
fi   # report_only

python3 - "$out" "$data" "$algorithms" "$threads" <<'PY'
import json, statistics, sys

out, data, algorithms, threads = sys.argv[1], sys.argv[2], sys.argv[3].split(","), [int(t) for t in sys.argv[4].split(",")]
# Surprise's README (master, 2024-06), 5-fold cross-validation on MovieLens 100K, default parameters.
PUBLISHED = {
    "svd": ("SVD", 0.934, 0.737), "svdpp": ("SVD++", 0.919, 0.721), "nmf": ("NMF", 0.963, 0.758),
    "slope-one": ("Slope One", 0.946, 0.743), "knn-basic": ("k-NN", 0.980, 0.774),
    "knn-means": ("Centered k-NN", 0.951, 0.749), "knn-baseline": ("k-NN Baseline", 0.931, 0.733),
    "co-clustering": ("Co-Clustering", 0.963, 0.753), "baseline": ("Baseline", 0.944, 0.748),
    "normal": ("Random", 1.518, 1.219),
}
TOLERANCE = {"normal": 0.03}   # the issue's bound: 0.01, the random predictor 0.03
movielens_100k = data.rstrip("/").endswith("movielens-100k") or data.endswith("u.data")


def lines(name):
    try:
        return [json.loads(line) for line in open(f"{out}/{name}.jsonl") if line.strip()]
    except FileNotFoundError:
        return []


def metric(report, name):
    """A metric's mean from recbench's JSON: k-fold (top level / mean) or one evaluation (summaries)."""
    if not isinstance(report, dict):
        return None
    if isinstance(report.get(name), (int, float)):
        return float(report[name])
    if isinstance(report.get("mean"), dict) and name in report["mean"]:
        return float(report["mean"][name])
    for summary in report.get("summaries", []):
        if summary.get("metric") == name:
            return float(summary["mean"])
    return None


def inprocess(report):
    """Fit + evaluation seconds inside recbench, where its JSON tells them (k-fold: `seconds`)."""
    if not isinstance(report, dict):
        return None
    if "perFold" in report:
        if isinstance(report.get("seconds"), (int, float)):
            return float(report["seconds"])
        return sum(f.get("fitSeconds", 0) + f.get("evaluateSeconds", 0) for f in report["perFold"])
    if "fitSeconds" in report:
        return report["fitSeconds"] + report.get("seconds", 0)
    return None


def fallbacks(report):
    """Held-out ratings that fell back to the training mean (ratingPredictions.fallbacks)."""
    if not isinstance(report, dict):
        return None
    parts = [f.get("ratingPredictions") for f in report.get("perFold", [])] or [report.get("ratingPredictions")]
    counts = [p.get("fallbacks") for p in parts if isinstance(p, dict)]
    return sum(counts) if counts and None not in counts else None


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=3):
    return "–" if value is None else f"{value:.{digits}f}"


surprise_cv, recbench_cv = lines("surprise-cv"), lines("recbench-cv")
surprise_folds, recbench_folds, spark = lines("surprise-folds"), lines("recbench-folds"), lines("spark")
result = {"data": data, "threads": threads, "rounds": max([r.get("round", 1) for r in surprise_cv + recbench_cv] or [0]),
          "algorithms": {}, "explicitALS": {}}
for name in algorithms:
    row = {"published": None, "surprise": None, "recbench": {}, "sameFolds": None}
    if name in PUBLISHED and movielens_100k:
        row["published"] = {"title": PUBLISHED[name][0], "RMSE": PUBLISHED[name][1], "MAE": PUBLISHED[name][2]}
    runs = [r for r in surprise_cv if r["algorithm"] == name]
    if runs:
        row["surprise"] = {"class": runs[0]["class"], "RMSE": runs[0]["RMSE"], "MAE": runs[0]["MAE"],
                           "perFoldRMSE": runs[0]["perFold"]["RMSE"], "seconds": median([r["seconds"] for r in runs]),
                           "secondsPerRound": [r["seconds"] for r in runs], "threads": 1}
    for t in threads:
        runs = [r for r in recbench_cv if r["name"] == name and r["threads"] == t]
        good = [r for r in runs if r["exit"] == 0 and metric(r["output"], "RMSE") is not None]
        if not runs:
            continue
        if not good:
            row["recbench"][str(t)] = {"missing": True, "error": runs[0].get("error")}
            continue
        report = good[0]["output"]
        row["recbench"][str(t)] = {"RMSE": metric(report, "RMSE"), "MAE": metric(report, "MAE"),
                                   "perFoldRMSE": [f.get("metrics", {}).get("RMSE") for f in report.get("perFold", [])],
                                   "fallbacks": fallbacks(report),
                                   "wallSeconds": median([r["wallSeconds"] for r in good]),
                                   "inProcessSeconds": median([inprocess(r["output"]) for r in good]),
                                   "wallSecondsPerRound": [r["wallSeconds"] for r in good]}
        if row["surprise"]:
            ratio = row["recbench"][str(t)]["wallSeconds"] / row["surprise"]["seconds"]
            row["recbench"][str(t)]["ratioToSurprise"] = ratio
            row["recbench"][str(t)]["timeOk"] = ratio <= 0.1   # the issue's bound: at most 0.1x Surprise's time
    theirs = next((r for r in surprise_folds if r["algorithm"] == name), None)
    ours = sorted([r for r in recbench_folds if r["name"] == name], key=lambda r: r["round"])
    if theirs or ours:
        same = {"surprise": [f["RMSE"] for f in theirs["perFold"]] if theirs else None,
                "recbench": [metric(r["output"], "RMSE") for r in ours] or None}
        if same["surprise"] and same["recbench"] and None not in same["recbench"] and len(same["recbench"]) == len(same["surprise"]):
            same["meanAbsoluteDifference"] = sum(abs(a - b) for a, b in zip(same["surprise"], same["recbench"])) / len(same["surprise"])
        elif ours and all(r["exit"] != 0 for r in ours):
            same["recbench"] = "missing"
        row["sameFolds"] = same
    reference = row["published"]["RMSE"] if row["published"] else (row["surprise"]["RMSE"] if row["surprise"] else None)
    mine = next((v["RMSE"] for v in row["recbench"].values() if not v.get("missing")), None)
    if reference is not None and mine is not None:
        row["differenceRMSE"] = abs(mine - reference)
        row["against"] = "published" if row["published"] else "surprise here"
        row["ok"] = row["differenceRMSE"] <= TOLERANCE.get(name, 0.01)
    result["algorithms"][name] = row

for t in threads:
    runs = [r for r in spark if r["master"] == f"local[{t}]"]
    ours = sorted([r for r in recbench_folds if r["name"] == "als-explicit" and r["threads"] == t], key=lambda r: r["round"])
    if not runs and not ours:
        continue
    entry = {}
    if runs:
        entry["spark"] = {"version": runs[0]["sparkVersion"], "perFoldRMSE": [r["sparkRMSE"] for r in runs],
                          "perFoldRMSEharmonised": [r["RMSE"] for r in runs],
                          "RMSE": statistics.mean(r["sparkRMSE"] for r in runs), "MAE": statistics.mean(r["sparkMAE"] for r in runs),
                          "RMSEharmonised": statistics.mean(r["RMSE"] for r in runs),
                          "MAEharmonised": statistics.mean(r["MAE"] for r in runs),
                          "fellBack": sum(r["fellBack"] for r in runs),
                          "perFoldSeconds": [r["seconds"] for r in runs], "seconds": sum(r["seconds"] for r in runs),
                          "fitSeconds": sum(r["fitSeconds"] for r in runs), "jvmSeconds": runs[0]["jvmSeconds"]}
    good = [r for r in ours if r["exit"] == 0 and metric(r["output"], "RMSE") is not None]
    if ours and len(good) == len(ours):
        entry["recbench"] = {"perFoldRMSE": [metric(r["output"], "RMSE") for r in good],
                             "RMSE": statistics.mean(metric(r["output"], "RMSE") for r in good),
                             "MAE": statistics.mean(metric(r["output"], "MAE") for r in good),
                             "wallSeconds": sum(r["wallSeconds"] for r in good),
                             "inProcessSeconds": sum(inprocess(r["output"]) or 0 for r in good) if all(inprocess(r["output"]) for r in good) else None}
        if "spark" in entry:
            entry["differenceRMSE"] = abs(entry["recbench"]["RMSE"] - entry["spark"]["RMSEharmonised"])
            entry["ok"] = entry["differenceRMSE"] <= 0.01
            entry["ratioToSpark"] = (entry["recbench"]["inProcessSeconds"] or entry["recbench"]["wallSeconds"]) / entry["spark"]["seconds"]
    elif ours:
        entry["recbench"] = {"missing": True, "error": ours[0].get("error")}
    result["explicitALS"][str(t)] = entry

with open(f"{out}/results.json", "w") as f:
    json.dump(result, f, indent=2)

head = ["algorithm", "Surprise published RMSE/MAE", "Surprise here RMSE/MAE", "Surprise s (1 thread)"]
for t in threads:
    head += [f"RecBench RMSE/MAE", f"RecBench s ({t} thr, wall / in-process)"] if t == threads[0] else [f"RecBench s ({t} thr)"]
head += ["RecBench/Surprise time", "ΔRMSE vs published", "ok?", "same folds: mean abs ΔRMSE"]
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for name, row in result["algorithms"].items():
    p, s = row["published"], row["surprise"]
    cells = [name + (f" ({s['class']})" if s else ""), f"{fmt(p['RMSE'])} / {fmt(p['MAE'])}" if p else "–",
             f"{fmt(s['RMSE'])} / {fmt(s['MAE'])}" if s else "–", fmt(s["seconds"], 2) if s else "–"]
    ratios = []
    for t in threads:
        r = row["recbench"].get(str(t))
        if t == threads[0]:
            cells.append("missing" if r is None or r.get("missing") else f"{fmt(r['RMSE'])} / {fmt(r['MAE'])}")
        if r is None or r.get("missing"):
            cells.append("missing")
        else:
            cells.append(f"{fmt(r['wallSeconds'], 2)} / {fmt(r['inProcessSeconds'], 2)}" if t == threads[0] else fmt(r["wallSeconds"], 2))
            if "ratioToSurprise" in r:
                ratios.append(f"{r['ratioToSurprise']:.3f}×" + ("" if r["timeOk"] else " (> 0.1×)"))
    cells += [" / ".join(ratios) or "–", fmt(row.get("differenceRMSE")),
              "–" if "ok" not in row else ("ok" if row["ok"] else "NO"),
              fmt((row.get("sameFolds") or {}).get("meanAbsoluteDifference"), 4)]
    print("| " + " | ".join(cells) + " |")
for t, entry in result["explicitALS"].items():
    sp, rb = entry.get("spark"), entry.get("recbench")
    cells = [f"explicit ALS, {t} thread(s) (Spark {sp['version'] if sp else '?'} local[{t}])",
             "–", f"Spark: {fmt(sp['RMSE'])} / {fmt(sp['MAE'])} (harmonised {fmt(sp['RMSEharmonised'])} / {fmt(sp['MAEharmonised'])})" if sp else "–",
             f"Spark fit+predict {fmt(sp['seconds'], 2)} (JVM start {fmt(sp['jvmSeconds'], 2)})" if sp else "–"]
    cells.append("missing" if not rb or rb.get("missing") else f"{fmt(rb['RMSE'])} / {fmt(rb['MAE'])}")
    cells.append("missing" if not rb or rb.get("missing") else f"{fmt(rb['wallSeconds'], 2)} / {fmt(rb['inProcessSeconds'], 2)}")
    cells += ["–"] * (len(threads) - 1)
    cells += [f"{entry['ratioToSpark']:.3f}× Spark" if "ratioToSpark" in entry else "–",
              f"{fmt(entry['differenceRMSE'])} vs Spark harmonised" if "differenceRMSE" in entry else "–",
              "–" if "ok" not in entry else ("ok" if entry["ok"] else "NO"), "–"]
    print("| " + " | ".join(cells) + " |")

same = {name: row["sameFolds"] for name, row in result["algorithms"].items() if row.get("sameFolds")}
if same:
    print("\nSame folds (recbench split k-fold, seed 0): per-fold RMSE, Surprise / RecBench")
    print("| algorithm | fold 1 | fold 2 | fold 3 | fold 4 | fold 5 | mean abs ΔRMSE |")
    print("|---|---|---|---|---|---|---|")
    for name, fold in same.items():
        theirs = fold.get("surprise") or [None] * 5
        ours = fold.get("recbench") if isinstance(fold.get("recbench"), list) else [None] * 5
        cells = [f"{fmt(a, 4)} / {'missing' if b is None else fmt(b, 4)}" for a, b in zip(theirs, ours)]
        print(f"| {name} | " + " | ".join(cells) + f" | {fmt(fold.get('meanAbsoluteDifference'), 4)} |")
if result["explicitALS"]:
    print("\nExplicit ALS on the same folds (rank 10, 10 iterations, λ 0.1): per-fold RMSE and seconds")
    print("| engine | fold 1 | fold 2 | fold 3 | fold 4 | fold 5 | mean RMSE | seconds (5 folds) |")
    print("|---|---|---|---|---|---|---|---|")
    for t, entry in result["explicitALS"].items():
        sp, rb = entry.get("spark"), entry.get("recbench")
        if sp:
            print(f"| Spark local[{t}], own (cold rows dropped) | " + " | ".join(fmt(v, 4) for v in sp["perFoldRMSE"])
                  + f" | {fmt(sp['RMSE'], 4)} | fit+predict {fmt(sp['seconds'], 2)}; JVM start {fmt(sp['jvmSeconds'], 2)} |")
            print(f"| Spark local[{t}], harmonised (NaN → mean, clipped) | " + " | ".join(fmt(v, 4) for v in sp["perFoldRMSEharmonised"])
                  + f" | {fmt(sp['RMSEharmonised'], 4)} | {sp['fellBack']} fell back |")
        if rb and not rb.get("missing"):
            print(f"| RecBench als-explicit, {t} thread(s) | " + " | ".join(fmt(v, 4) for v in rb["perFoldRMSE"])
                  + f" | {fmt(rb['RMSE'], 4)} | wall {fmt(rb['wallSeconds'], 2)}; in-process {fmt(rb['inProcessSeconds'], 2)} |")
        else:
            print(f"| RecBench als-explicit, {t} thread(s) | missing | | | | | | |")
print(f"\nJSON: {out}/results.json")
PY
