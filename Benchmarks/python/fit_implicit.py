"""Fits implicit's ALS (CG), BPR, cosine and BM25 item-kNN on a split written by `recbench split`, and
reports each fit time (best of N) and NDCG@10 from implicit.evaluation.ranking_metrics_at_k.

Users and items are numbered as recbench reads the split (first appearance in train.tsv, then
test.tsv). The training values are the raw counts, as recbench uses them.
Usage: python fit_implicit.py SPLIT_DIR [--models als,cosine,bm25] [--threads 2] [--repetitions 3]
Prints one JSON object per model, one per line.
"""
import argparse
import json
import time

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits


def read(path, users, items, rows, cols, vals):
    for line in open(path):
        fields = line.rstrip("\n").split("\t")
        rows.append(users.setdefault(fields[0], len(users)))
        cols.append(items.setdefault(fields[1], len(items)))
        vals.append(float(fields[2]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("split")
    parser.add_argument("--models", default="als,cosine,bm25")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--factors", type=int, default=64)
    parser.add_argument("--iterations", type=int, default=15)
    parser.add_argument("--regularization", type=float, default=0.01)
    parser.add_argument("--alpha", type=float, default=1.0)
    parser.add_argument("--learning-rate", type=float, default=0.01, help="BPR")
    parser.add_argument("--epochs", type=int, default=20, help="BPR")
    args = parser.parse_args()
    users, items = {}, {}
    tr, tc, tv, er, ec, ev = [], [], [], [], [], []
    read(args.split + "/train.tsv", users, items, tr, tc, tv)
    read(args.split + "/test.tsv", users, items, er, ec, ev)
    shape = (len(users), len(items))
    train = sp.csr_matrix((np.array(tv, dtype=np.float32), (tr, tc)), shape=shape)
    test = sp.csr_matrix((np.ones(len(er), dtype=np.float32), (er, ec)), shape=shape)

    import implicit
    from implicit.als import AlternatingLeastSquares
    from implicit.bpr import BayesianPersonalizedRanking
    from implicit.evaluation import ranking_metrics_at_k
    from implicit.nearest_neighbours import BM25Recommender, CosineRecommender

    def make(name):
        if name == "als":
            return AlternatingLeastSquares(factors=args.factors, iterations=args.iterations, regularization=args.regularization,
                                           alpha=args.alpha, use_cg=True, num_threads=args.threads, random_state=1,
                                           calculate_training_loss=False)
        if name == "bpr":
            return BayesianPersonalizedRanking(factors=args.factors, learning_rate=args.learning_rate, regularization=args.regularization,
                                               iterations=args.epochs, num_threads=args.threads, random_state=1)
        if name == "cosine":
            return CosineRecommender(K=100, num_threads=args.threads)
        if name == "bm25":
            return BM25Recommender(K=100, K1=1.2, B=0.75, num_threads=args.threads)
        raise ValueError(name)

    with threadpool_limits(limits=1, user_api="blas"):
        for name in args.models.split(","):
            best, model = float("inf"), None
            for _ in range(args.repetitions):
                model = make(name)
                start = time.perf_counter()
                model.fit(train, show_progress=False)
                best = min(best, time.perf_counter() - start)
            metrics = ranking_metrics_at_k(model, train, test, K=10, show_progress=False, num_threads=args.threads)
            out = {"implicit": implicit.__version__, "model": name, "fitSeconds": best, "NDCG@10": float(metrics["ndcg"]),
                   "users": int((np.diff(test.indptr) > 0).sum())}
            if name == "als":
                out["secondsPerIteration"] = best / args.iterations
            if name == "bpr":
                out["secondsPerEpoch"] = best / args.epochs
                out["samplesPerEpoch"] = int(train.nnz)
            print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
