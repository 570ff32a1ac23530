"""Surprise (scikit-surprise) beside RecBench on explicit ratings: one JSON line on stdout per run.

  cv DATA --algorithm NAME [--folds 5] [--seed 0] [--rating-scale LO,HI] [--never-play-again drop|zero]
      Surprise's published protocol: cross_validate(Class(), data, ["rmse", "mae"],
      cv=KFold(n_splits=5, random_state=0, shuffle=True)) with the class's default hyperparameters
      (random_state=0 for the seeded ones, as Surprise's examples/benchmark.py does; numpy's and
      random's global seeds set to 0 first). `seconds` is the cross_validate call (5 fits + tests,
      in-process, the load excluded; `loadSeconds` apart); `fitSeconds`/`testSeconds` per fold.
  folds FOLD_DIR [FOLD_DIR ...] --algorithm NAME [--rating-scale LO,HI]
      The same folds as RecBench: each folder's train.tsv (user<TAB>item<TAB>rating, as written by
      `recbench split`) becomes a full trainset, its test.tsv rows the testset; RMSE/MAE per fold.

DATA is a folder or a file. MovieLens 100K (u.data) is read with Reader("ml-100k"); MovieLens 1M
(ratings.dat) with Reader("ml-1m"); ratings.csv (MovieLens latest) with its header skipped; Yahoo!
Music R1 (ydata-ymusic-user-artist-ratings-v1_0.txt: 255 = never play again, dropped by default
like recbench, or read as 0) and R3 (ydata-ymusic-rating-study-v1_0-train.txt) tab-separated; any
other file: user, item, rating in the first three columns, the separator guessed from the first
line (::, tab, comma, ;, spaces), a header skipped when its third field is not a number. The rating
scale is --rating-scale, else the data's minimum and maximum (1-5 for MovieLens 100K/1M).
"""
import argparse
import contextlib
import json
import os
import random
import sys
import time

import numpy as np
import pandas as pd

CLASSES = {
    "normal": "NormalPredictor", "baseline": "BaselineOnly", "svd": "SVD", "svdpp": "SVDpp", "nmf": "NMF",
    "slope-one": "SlopeOne", "knn-basic": "KNNBasic", "knn-means": "KNNWithMeans", "knn-baseline": "KNNBaseline",
    "co-clustering": "CoClustering",
}
SEEDED = {"SVD", "SVDpp", "NMF", "CoClustering"}
YAHOO_R1 = "ydata-ymusic-user-artist-ratings-v1_0.txt"
YAHOO_R3 = ("ydata-ymusic-rating-study-v1_0-train.txt", "ydata-ymusic-rating-study-v1_0-test.txt")


def algorithm(name):
    import surprise
    if name not in CLASSES:
        raise SystemExit(f"unknown algorithm {name!r}: one of {', '.join(CLASSES)}")
    cls = getattr(surprise, CLASSES[name])
    return cls(random_state=0) if cls.__name__ in SEEDED else cls()


def scale(text):
    low, high = (float(x) for x in text.split(","))
    if not low < high:
        raise SystemExit(f"--rating-scale {text}: LO must be below HI")
    return low, high


def ratings_file(path):
    """The file to read and how: (path, kind)."""
    if os.path.isdir(path):
        for name, kind in (("u.data", "ml-100k"), ("ratings.dat", "ml-1m"), ("ratings.csv", "csv"),
                           (YAHOO_R1, "yahoo-r1"), (YAHOO_R3[0], "yahoo-r3")):
            if os.path.isfile(os.path.join(path, name)):
                return os.path.join(path, name), kind
        raise SystemExit(f"{path}: no u.data, ratings.dat, ratings.csv or Yahoo! Music file inside")
    if not os.path.isfile(path):
        raise SystemExit(f"{path}: no such file or folder")
    base = os.path.basename(path)
    kinds = {"u.data": "ml-100k", "ratings.dat": "ml-1m", YAHOO_R1: "yahoo-r1", YAHOO_R3[0]: "yahoo-r3",
             YAHOO_R3[1]: "yahoo-r3"}
    return path, kinds.get(base, "delimited")


def read_frame(path, kind, never_play_again):
    """user, item, rating columns (ids as strings) for the kinds Surprise's built-in readers don't cover."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        first = handle.readline().rstrip("\r\n")
    if kind in ("yahoo-r1", "yahoo-r3"):
        sep, header = "\t", False
    else:
        sep = next((s for s in ("::", "\t", ",", ";") if s in first), r"\s+")
        fields = first.split(sep) if sep != r"\s+" else first.split()
        try:
            float(fields[2])
            header = False
        except (IndexError, ValueError):
            header = True
    frame = pd.read_csv(path, sep=sep, header=None, skiprows=1 if header else 0, usecols=[0, 1, 2],
                        names=["user", "item", "rating"], dtype={"user": str, "item": str, "rating": float},
                        engine="python" if len(sep) > 1 and sep != r"\s+" else "c")
    if kind == "yahoo-r1":
        if never_play_again == "zero":
            frame.loc[frame.rating == 255, "rating"] = 0.0
        else:
            frame = frame[frame.rating != 255]
    return frame


def load(path, rating_scale, never_play_again):
    from surprise import Dataset, Reader
    file, kind = ratings_file(path)
    if kind in ("ml-100k", "ml-1m") and rating_scale is None:
        return Dataset.load_from_file(file, Reader(kind)), kind, (1.0, 5.0)
    frame = read_frame(file, kind, never_play_again) if kind not in ("ml-100k", "ml-1m") else pd.read_csv(
        file, sep="\t" if kind == "ml-100k" else "::", header=None, usecols=[0, 1, 2], names=["user", "item", "rating"],
        dtype={"user": str, "item": str, "rating": float}, engine="python" if kind == "ml-1m" else "c")
    if len(frame) == 0:
        raise SystemExit(f"{file}: no ratings")
    low, high = rating_scale or (float(frame.rating.min()), float(frame.rating.max()))
    return Dataset.load_from_df(frame[["user", "item", "rating"]], Reader(rating_scale=(low, high))), kind, (low, high)


def cross_validation(args):
    from surprise.model_selection import KFold, cross_validate
    np.random.seed(0)
    random.seed(0)
    start = time.perf_counter()
    data, kind, (low, high) = load(args.data, scale(args.rating_scale) if args.rating_scale else None,
                                   args.never_play_again)
    load_seconds = time.perf_counter() - start
    algo = algorithm(args.algorithm)
    start = time.perf_counter()
    result = cross_validate(algo, data, ["rmse", "mae"], cv=KFold(n_splits=args.folds, random_state=args.seed,
                                                                     shuffle=True), verbose=False)
    seconds = time.perf_counter() - start
    rmse, mae = [float(x) for x in result["test_rmse"]], [float(x) for x in result["test_mae"]]
    return {"engine": "surprise", "protocol": "cross-validate", "algorithm": args.algorithm,
            "class": type(algo).__name__, "data": args.data, "format": kind, "ratingScale": [low, high],
            "ratings": len(data.raw_ratings), "folds": args.folds, "seed": args.seed,
            "perFold": {"RMSE": rmse, "MAE": mae},
            "RMSE": float(np.mean(rmse)), "MAE": float(np.mean(mae)),
            "standardDeviation": {"RMSE": float(np.std(rmse)), "MAE": float(np.std(mae))},
            "seconds": seconds, "loadSeconds": load_seconds,
            "fitSeconds": [float(x) for x in result["fit_time"]], "testSeconds": [float(x) for x in result["test_time"]]}


def read_fold_file(path):
    return pd.read_csv(path, sep="\t", header=None, usecols=[0, 1, 2], names=["user", "item", "rating"],
                       dtype={"user": str, "item": str, "rating": float})


def same_folds(args):
    from surprise import Dataset, Reader, accuracy
    np.random.seed(0)
    random.seed(0)
    rows = []
    for number, folder in enumerate(args.folds, start=1):
        train = read_fold_file(os.path.join(folder, "train.tsv"))
        test = read_fold_file(os.path.join(folder, "test.tsv"))
        low, high = scale(args.rating_scale) if args.rating_scale else (
            float(min(train.rating.min(), test.rating.min())), float(max(train.rating.max(), test.rating.max())))
        trainset = Dataset.load_from_df(train, Reader(rating_scale=(low, high))).build_full_trainset()
        testset = list(zip(test.user, test.item, test.rating))
        algo = algorithm(args.algorithm)
        start = time.perf_counter()
        algo.fit(trainset)
        fit_seconds = time.perf_counter() - start
        start = time.perf_counter()
        predictions = algo.test(testset)
        test_seconds = time.perf_counter() - start
        impossible = sum(1 for p in predictions if p.details.get("was_impossible", False))
        rows.append({"fold": number, "folder": folder, "RMSE": float(accuracy.rmse(predictions, verbose=False)),
                     "MAE": float(accuracy.mae(predictions, verbose=False)), "testRows": len(testset),
                     "impossible": impossible, "fitSeconds": fit_seconds, "testSeconds": test_seconds})
    return {"engine": "surprise", "protocol": "same-folds", "algorithm": args.algorithm,
            "class": CLASSES[args.algorithm], "perFold": rows,
            "RMSE": float(np.mean([r["RMSE"] for r in rows])), "MAE": float(np.mean([r["MAE"] for r in rows])),
            "seconds": float(sum(r["fitSeconds"] + r["testSeconds"] for r in rows))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    cv = commands.add_parser("cv")
    cv.add_argument("data")
    cv.add_argument("--algorithm", required=True)
    cv.add_argument("--folds", type=int, default=5)
    cv.add_argument("--seed", type=int, default=0)
    cv.add_argument("--rating-scale")
    cv.add_argument("--never-play-again", choices=["drop", "zero"], default="drop")
    folds = commands.add_parser("folds")
    folds.add_argument("folds", nargs="+")
    folds.add_argument("--algorithm", required=True)
    folds.add_argument("--rating-scale")
    args = parser.parse_args()
    # Surprise prints progress ("Estimating biases using als...", "Computing the msd similarity
    # matrix...") on stdout: keep stdout for the one JSON line.
    with contextlib.redirect_stdout(sys.stderr):
        result = cross_validation(args) if args.command == "cv" else same_folds(args)
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
