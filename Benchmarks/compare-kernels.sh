#!/usr/bin/env bash
# The kernels against numpy float32 on this machine, in the same run, single thread.
#
#   Benchmarks/compare-kernels.sh
#
# Runs `recbench bench kernels --json` and Benchmarks/python/kernels_numpy.py twice each,
# interleaved, keeps the best figure of each, and prints the ratios the kernels issue asks for.
# OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for the numpy command only.
source "$(dirname "$0")/lib.sh"
out="$root/Benchmarks/out"; mkdir -p "$out"
for round in 1 2; do
    "$bin" bench kernels --json --threads 2 > "$out/kernels-recbench-$round.json"
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$py" "$root/Benchmarks/python/kernels_numpy.py" --threads 1 > "$out/kernels-numpy-$round.json"
done
"$py" - "$out" <<'PY'
import glob, json, sys
out = sys.argv[1]
ours = [json.load(open(f)) for f in sorted(glob.glob(out + "/kernels-recbench-*.json"))]
theirs = [json.load(open(f)) for f in sorted(glob.glob(out + "/kernels-numpy-*.json"))]
def ours_best(kernel, shape, threads=1, field="gflops"):
    values = [r[field] for o in ours for r in o["benchmark"]["rows"] if r["kernel"] == kernel and r["shape"] == shape and r["threads"] == threads]
    return max(values)
def ours_seconds(kernel, shape):
    return min(r["seconds"] for o in ours for r in o["benchmark"]["rows"] if r["kernel"] == kernel and r["shape"] == shape and r["threads"] == 1)
def theirs_best(key, field="gflops"):
    return max(t[key][field] for t in theirs)
result = {
    "cpu": ours[0]["cpu"], "numpy": theirs[0]["numpy"], "blas": theirs[0]["blas"],
    "gemm512": {"recbench": ours_best("gemm", "512x512x512"), "numpy": theirs_best("matmul512")},
    "gemm1024": {"recbench": ours_best("gemm", "1024x1024x1024"), "numpy": theirs_best("matmul1024")},
    "gram100000x64": {"recbench": ours_best("gram", "100000x64"), "numpy": theirs_best("gram100000x64")},
    "gram100000x32": {"recbench": ours_best("gram", "100000x32"), "numpy": theirs_best("gram100000x32")},
    "gram100000x128": {"recbench": ours_best("gram", "100000x128"), "numpy": theirs_best("gram100000x128")},
    "copy1M_GBps": {"recbench": ours_best("copy", "1048576", field="gigabytesPerSecond"), "numpy": theirs_best("copy1M", "gigabytesPerSecond")},
    "dot1M_GBps": {"recbench": ours_best("dot", "1048576", field="gigabytesPerSecond"), "numpy": theirs_best("dot1M", "gigabytesPerSecond")},
    "axpy1M_GBps": {"recbench": ours_best("axpy", "1048576", field="gigabytesPerSecond")},
    "top10of100000_us": {"recbench": ours_seconds("top-k", "k=10 of 100000") * 1e6, "readPass": ours_seconds("read-pass", "100000") * 1e6,
                         "numpyArgpartition": min(t["argpartitionTop10of100000"]["seconds"] for t in theirs) * 1e6},
}
for key in ("gemm512", "gemm1024", "gram100000x64", "gram100000x32", "gram100000x128"):
    result[key]["ratio"] = result[key]["recbench"] / result[key]["numpy"]
copy = result["copy1M_GBps"]["recbench"]
result["dot1M_GBps"]["overCopy"] = result["dot1M_GBps"]["recbench"] / copy
result["axpy1M_GBps"]["overCopy"] = result["axpy1M_GBps"]["recbench"] / copy
result["top10of100000_us"]["overReadPass"] = result["top10of100000_us"]["recbench"] / result["top10of100000_us"]["readPass"]
print(json.dumps(result, indent=2))
PY
