"""Times implicit.evaluation.ranking_metrics_at_k on a split written by `recbench split`,
with the factors `recbench bench evaluate --write-factors` wrote (same users, items, scores).

Users and items are numbered as recbench reads the split: in order of first appearance in
train.tsv, then test.tsv (users and items counted separately).
Usage: python eval_implicit.py SPLIT_DIR FACTORS_DIR --factors 64 [--threads 2] [--repetitions 3]
Prints one JSON object.
"""
import argparse
import json
import time

import numpy as np
import scipy.sparse as sp


def read(path, users, items, rows, cols):
    for line in open(path):
        fields = line.rstrip("\n").split("\t")
        rows.append(users.setdefault(fields[0], len(users)))
        cols.append(items.setdefault(fields[1], len(items)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("split")
    parser.add_argument("factors_dir")
    parser.add_argument("--factors", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    users, items = {}, {}
    train_rows, train_cols, test_rows, test_cols = [], [], [], []
    read(args.split + "/train.tsv", users, items, train_rows, train_cols)
    read(args.split + "/test.tsv", users, items, test_rows, test_cols)
    shape = (len(users), len(items))
    train = sp.csr_matrix((np.ones(len(train_rows), dtype=np.float32), (train_rows, train_cols)), shape=shape)
    test = sp.csr_matrix((np.ones(len(test_rows), dtype=np.float32), (test_rows, test_cols)), shape=shape)
    user_factors = np.fromfile(args.factors_dir + "/user_factors.f32", dtype=np.float32).reshape(shape[0], args.factors)
    item_factors = np.fromfile(args.factors_dir + "/item_factors.f32", dtype=np.float32).reshape(shape[1], args.factors)

    import implicit
    from implicit.cpu.als import AlternatingLeastSquares
    from implicit.evaluation import ranking_metrics_at_k
    model = AlternatingLeastSquares(factors=args.factors, num_threads=args.threads)
    model.user_factors = user_factors
    model.item_factors = item_factors
    best, metrics = float("inf"), None
    for _ in range(args.repetitions):
        start = time.perf_counter()
        metrics = ranking_metrics_at_k(model, train, test, K=10, show_progress=False, num_threads=args.threads)
        best = min(best, time.perf_counter() - start)
    print(json.dumps({"implicit": implicit.__version__, "seconds": best, "users": int((np.diff(test.indptr) > 0).sum()),
                      "items": shape[1], "threads": args.threads, "metrics": {k: float(v) for k, v in metrics.items()}}))


if __name__ == "__main__":
    main()
