"""numpy float32 figures to set beside `recbench bench kernels`: matmul 512^3, Y.T @ Y, copy.

Prints one JSON object. Run it with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (they slow a
current numpy on this machine); the script reports which BLAS kernel threadpoolctl sees.
Usage: python kernels_numpy.py [--threads 1]
"""
import argparse
import json
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits


def best(fn, repetitions=7, minimum=0.02):
    fn()
    result = float("inf")
    for _ in range(repetitions):
        calls = 0
        start = time.perf_counter()
        while True:
            fn()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= minimum:
                break
        result = min(result, elapsed / calls)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    out = {"numpy": np.__version__, "threads": args.threads,
           "blas": [{k: v for k, v in info.items() if k in ("internal_api", "version", "architecture", "num_threads")}
                    for info in threadpool_info()]}
    with threadpool_limits(limits=args.threads):
        for size in (256, 512, 1024):
            a = rng.standard_normal((size, size), dtype=np.float32)
            b = rng.standard_normal((size, size), dtype=np.float32)
            c = np.empty((size, size), dtype=np.float32)
            seconds = best(lambda: np.matmul(a, b, out=c))
            out[f"matmul{size}"] = {"seconds": seconds, "gflops": 2 * size ** 3 / seconds / 1e9}
        for f in (32, 64, 128):
            y = rng.standard_normal((100_000, f), dtype=np.float32)
            seconds = best(lambda: y.T @ y)
            out[f"gram100000x{f}"] = {"seconds": seconds, "gflops": 2 * 100_000 * f * f / seconds / 1e9}
        x = rng.standard_normal(1 << 20, dtype=np.float32)
        z = np.empty_like(x)
        seconds = best(lambda: np.copyto(z, x))
        out["copy1M"] = {"seconds": seconds, "gigabytesPerSecond": 8 * (1 << 20) / seconds / 1e9}
        yv = rng.standard_normal(1 << 20, dtype=np.float32)
        seconds = best(lambda: np.dot(x, yv))
        out["dot1M"] = {"seconds": seconds, "gigabytesPerSecond": 8 * (1 << 20) / seconds / 1e9}
        scores = rng.standard_normal(100_000, dtype=np.float32)
        seconds = best(lambda: np.argpartition(-scores, 10)[:10])
        out["argpartitionTop10of100000"] = {"seconds": seconds}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
