"""Time pandas' C parser on an Audioscrobbler-format file (`user artist playcount`, single spaces).

Prints one JSON object: the best of N wall-clock times, throughput and peak memory.
Usage: python load_pandas.py FILE [--repetitions N]
"""
import argparse
import json
import os
import resource
import time

import pandas as pd


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    size = os.path.getsize(args.file)
    best = float("inf")
    rows = 0
    for _ in range(args.repetitions):
        start = time.perf_counter()
        frame = pd.read_csv(args.file, sep=" ", header=None, engine="c",
                            names=["user", "artist", "count"], dtype={"user": "int64", "artist": "int64", "count": "int64"})
        best = min(best, time.perf_counter() - start)
        rows = len(frame)
        del frame
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"tool": "pandas.read_csv(engine='c')", "pandas": pd.__version__, "bytes": size, "rows": rows,
                      "parseSeconds": best, "parseMegabytesPerSecond": size / best / 1e6, "peakResidentMegabytes": peak_mb}))


if __name__ == "__main__":
    main()
