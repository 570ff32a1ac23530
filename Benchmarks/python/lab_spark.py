"""Trains Spark MLlib's implicit ALS grid of the course lab on a split written by `recbench split`
and writes one TREC run per model: every artist known to training scored for each test user,
with Spark's own factors (prediction = user factor . item factor, as ALSModel.transform).

Usage: python lab_spark.py SPLIT_DIR OUT_DIR [--iterations N] [--preset first|second]
"""
import argparse
import os
import time

import numpy as np
from pyspark.ml.recommendation import ALS
from pyspark.sql import SparkSession


def read(path):
    rows = []
    for line in open(path):
        user, item, value = line.rstrip("\n").split("\t")[:3]
        rows.append((user, item, float(value)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("split")
    parser.add_argument("out")
    parser.add_argument("--iterations", type=int, default=None, help="override every model's iterations")
    parser.add_argument("--preset", default="first")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    train = read(os.path.join(args.split, "train.tsv"))
    test = read(os.path.join(args.split, "test.tsv"))
    users = {u: i for i, u in enumerate(sorted({r[0] for r in train} | {r[0] for r in test}))}
    items = {a: i for i, a in enumerate(sorted({r[1] for r in train}))}
    raw_items = sorted(items, key=items.get)
    test_users = sorted({r[0] for r in test})
    if args.preset == "first":
        grid = [(10, 0.01, 1.0, 5)] + [(r, l, a, 10) for r in (10, 50) for l in (1.0, 0.0001) for a in (1.0, 40.0)]
    else:
        grid = [(r, l, a, 20) for r in (5, 30) for l in (1.0, 0.0001) for a in (1.0, 40.0)]
    spark = (SparkSession.builder.master("local[2]").appName("recbench-lab")
             .config("spark.driver.memory", "4g").config("spark.ui.enabled", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    # ALS truncates its RDD lineage every checkpointInterval (10) iterations only when a checkpoint
    # folder is set; without one, 50 iterations overflow the stack while serialising tasks.
    spark.sparkContext.setCheckpointDir(os.path.join(args.out, "checkpoints"))
    frame = spark.createDataFrame([(users[u], items[a], v) for u, a, v in train], ["user", "item", "plays"]).cache()
    for rank, reg, alpha, iterations in grid:
        iterations = args.iterations or iterations
        start = time.perf_counter()
        model = ALS(rank=rank, regParam=reg, alpha=alpha, maxIter=iterations, implicitPrefs=True, seed=54321,
                    userCol="user", itemCol="item", ratingCol="plays").fit(frame)
        uf = {row.id: np.array(row.features, dtype=np.float32) for row in model.userFactors.collect()}
        itf = np.zeros((len(items), rank), dtype=np.float32)
        for row in model.itemFactors.collect():
            itf[row.id] = np.array(row.features, dtype=np.float32)
        name = f"spark-als-{rank}-{reg}-{alpha}-x{iterations}"
        with open(os.path.join(args.out, name + ".run"), "w") as out:
            for user in test_users:
                if users[user] not in uf:
                    continue
                scores = itf @ uf[users[user]]
                order = np.argsort(-scores, kind="stable")
                for position, index in enumerate(order):
                    out.write(f"{user} Q0 {raw_items[index]} {position + 1} {float(scores[index]):.9g} {name}\n")
        print(f"{name}: fit and scoring {time.perf_counter() - start:.1f} s", flush=True)
    spark.stop()


if __name__ == "__main__":
    main()
