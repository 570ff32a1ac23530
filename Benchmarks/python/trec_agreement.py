"""Scores a TREC run and qrels with pytrec_eval and ranx, and compares with recbench's figures.

Usage: python trec_agreement.py RUN QRELS RECBENCH_JSON
RECBENCH_JSON is the output of `recbench evaluate --run RUN --qrels QRELS --json`.
Every tool scores the run with the scores recbench wrote: recbench writes tied scores one
double-precision step apart, so trec_eval's own order (score, then id descending) is recbench's.
Prints one JSON object with each tool's means and the largest absolute difference.
"""
import json
import sys
from collections import defaultdict


def main() -> None:
    run_path, qrels_path, ours_path = sys.argv[1:4]
    run = defaultdict(dict)
    for line in open(run_path):
        user, _, item, _, score, _ = line.split()
        run[user][item] = float(score)
    qrels = defaultdict(dict)
    for line in open(qrels_path):
        user, _, item, rel = line.split()
        qrels[user][item] = int(rel)
    ours = json.load(open(ours_path))
    result = {"users": ours["queries"], "recbench": {k: ours["metrics"][k] for k in ("P@10", "R@10", "MAP@10", "NDCG@10")}}

    import pytrec_eval
    evaluator = pytrec_eval.RelevanceEvaluator(dict(qrels), {"P_10", "recall_10", "map_cut_10", "ndcg_cut_10"})
    per_user = evaluator.evaluate(dict(run))
    names = {"P_10": "P@10", "recall_10": "R@10", "map_cut_10": "MAP@10", "ndcg_cut_10": "NDCG@10"}
    result["pytrec_eval"] = {names[m]: sum(v[m] for v in per_user.values()) / len(per_user) for m in names}

    try:
        from ranx import Qrels, Run, evaluate
        scores = evaluate(Qrels(dict(qrels)), Run(dict(run)), ["precision@10", "recall@10", "map@10", "ndcg@10"], make_comparable=True)
        result["ranx"] = {"P@10": float(scores["precision@10"]), "R@10": float(scores["recall@10"]), "MAP@10": float(scores["map@10"]), "NDCG@10": float(scores["ndcg@10"])}
    except ImportError:
        result["ranx"] = "not installed"

    differences = []
    for tool in ("pytrec_eval", "ranx"):
        if isinstance(result[tool], dict):
            for metric, value in result[tool].items():
                differences.append(abs(value - result["recbench"][metric]))
    result["maxAbsoluteDifference"] = float(max(differences))
    result["agreeTo1e-6"] = bool(max(differences) <= 1e-6)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
