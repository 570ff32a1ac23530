"""Spark MLlib's explicit ALS on fold folders written by `recbench split` (train.tsv, test.tsv:
user<TAB>item<TAB>rating[<TAB>time]), one JSON line per fold and master on stdout.

ALS(rank, maxIter, regParam, implicitPrefs=False, seed, coldStartStrategy="nan") is fitted on each
fold's train.tsv and predicts its test.tsv rows. Two RMSE/MAE figures per fold:
  - spark: Spark's own, as with coldStartStrategy="drop" (rows whose user or item is unknown to
    the training part are left out; RegressionEvaluator on what remains);
  - harmonised: RecBench's rules, every test row counted (NaN -> the training mean, then every
    prediction clipped to the rating scale).
Times (seconds, in-process): `jvmSeconds` starting the session (once per process, reported on
each of its lines), `loadSeconds` building the fold's data frames, `fitSeconds` ALS.fit and
`predictSeconds` transform + collect of the test predictions.

Usage: python spark_explicit.py FOLD_DIR [FOLD_DIR ...] [--master local[2]] [--rank 10]
       [--iterations 10] [--regularization 0.1] [--seed 0] [--rating-scale LO,HI]
"""
import argparse
import json
import math
import os
import sys
import tempfile
import time

import numpy as np


def read(path):
    users, items, ratings = [], [], []
    with open(path) as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 3:
                continue
            users.append(fields[0])
            items.append(fields[1])
            ratings.append(float(fields[2]))
    return users, items, np.array(ratings, dtype=np.float64)


def errors(truth, predicted):
    difference = predicted - truth
    return float(math.sqrt(np.mean(difference * difference))), float(np.mean(np.abs(difference)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folds", nargs="+")
    parser.add_argument("--master", default="local[2]", help="one master a process, so each has its own JVM")
    parser.add_argument("--rank", type=int, default=10)
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--regularization", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rating-scale", default=None, help="LO,HI (default: each fold's smallest and largest rating)")
    args = parser.parse_args()

    from pyspark.ml.evaluation import RegressionEvaluator
    from pyspark.ml.recommendation import ALS
    from pyspark.sql import SparkSession

    folds = []
    for folder in args.folds:
        train = read(os.path.join(folder, "train.tsv"))
        test = read(os.path.join(folder, "test.tsv"))
        folds.append((folder, train, test))

    for master in [args.master]:
        start = time.perf_counter()
        spark = (SparkSession.builder.master(master).appName("recbench-explicit-als")
                 .config("spark.driver.memory", "2g").config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                 .config("spark.sql.shuffle.partitions", "4").getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        checkpoints = tempfile.mkdtemp(prefix="spark-explicit-")
        spark.sparkContext.setCheckpointDir(checkpoints)
        jvm_seconds = time.perf_counter() - start
        version = spark.version
        for number, (folder, (train_users, train_items, train_ratings), (test_users, test_items, test_ratings)) in \
                enumerate(folds, start=1):
            if args.rating_scale:
                low, high = (float(x) for x in args.rating_scale.split(","))
            else:
                # recbench's default: the smallest and largest rating of the split (train and test)
                low = float(min(train_ratings.min(), test_ratings.min()))
                high = float(max(train_ratings.max(), test_ratings.max()))
            start = time.perf_counter()
            # Integer ids for Spark: training users and items first, then ids seen only in test
            # (they get no factors: NaN under coldStartStrategy="nan").
            user_index, item_index = {}, {}
            for u in train_users + test_users:
                user_index.setdefault(u, len(user_index))
            for i in train_items + test_items:
                item_index.setdefault(i, len(item_index))
            train_frame = spark.createDataFrame(
                [(user_index[u], item_index[i], float(r)) for u, i, r in zip(train_users, train_items, train_ratings)],
                ["user", "item", "rating"]).cache()
            train_frame.count()
            test_frame = spark.createDataFrame(
                [(row, user_index[u], item_index[i], float(r))
                 for row, (u, i, r) in enumerate(zip(test_users, test_items, test_ratings))],
                ["row", "user", "item", "rating"]).cache()
            test_frame.count()
            load_seconds = time.perf_counter() - start

            start = time.perf_counter()
            als = ALS(rank=args.rank, maxIter=args.iterations, regParam=args.regularization, implicitPrefs=False,
                      seed=args.seed, coldStartStrategy="nan", userCol="user", itemCol="item", ratingCol="rating")
            model = als.fit(train_frame)
            fit_seconds = time.perf_counter() - start
            start = time.perf_counter()
            predictions = model.transform(test_frame).select("row", "prediction").collect()
            predict_seconds = time.perf_counter() - start

            predicted = np.full(len(test_ratings), np.nan)
            for row in predictions:
                predicted[row["row"]] = row["prediction"] if row["prediction"] is not None else np.nan
            known = ~np.isnan(predicted)
            # Spark's own figure: coldStartStrategy "drop" leaves the NaN rows out.
            evaluator = RegressionEvaluator(metricName="rmse", labelCol="rating", predictionCol="prediction")
            dropped = model.setColdStartStrategy("drop").transform(test_frame)
            spark_rmse = float(evaluator.evaluate(dropped))
            spark_mae = float(evaluator.setMetricName("mae").evaluate(dropped))
            own_rmse, own_mae = errors(test_ratings[known], predicted[known])
            mean = float(train_ratings.mean())
            harmonised = np.clip(np.where(known, predicted, mean), low, high)
            rmse, mae = errors(test_ratings, harmonised)
            print(json.dumps({
                "engine": "spark", "sparkVersion": version, "master": master, "fold": number, "folder": folder,
                "rank": args.rank, "iterations": args.iterations, "regularization": args.regularization,
                "seed": args.seed, "ratingScale": [low, high], "testRows": int(len(test_ratings)),
                "fellBack": int((~known).sum()),
                "sparkRMSE": spark_rmse, "sparkMAE": spark_mae,
                "sparkRMSEcheck": own_rmse, "sparkMAEcheck": own_mae,
                "RMSE": rmse, "MAE": mae,
                "jvmSeconds": jvm_seconds, "loadSeconds": load_seconds,
                "fitSeconds": fit_seconds, "predictSeconds": predict_seconds,
                "seconds": fit_seconds + predict_seconds,
            }), flush=True)
            train_frame.unpersist()
            test_frame.unpersist()
        spark.stop()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
