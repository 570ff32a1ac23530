"""Adversarial TREC run/qrels cases, scored by recbench and by pytrec_eval (trec_eval), compared per query.

Usage: python trec_cases.py RECBENCH_BINARY OUT_DIR [--random N] [--seed S] [--trec-eval BINARY]

Writes each case's run and qrels into OUT_DIR/<case>/, runs
`recbench evaluate --run … --qrels … --metrics … --json --per-query`, and scores the same bytes
with pytrec_eval. The files are read for pytrec_eval as trec_eval reads them (fields split on C
white space, '#' lines skipped, the score as a C double, the grade as C's atol); ids are passed
to pytrec_eval hex-encoded, which keeps their byte order, so trec_eval's own tie-breaking (score,
then document id descending) runs on the true bytes. pytrec_eval bundles trec_eval 9, which keeps scores as float32; RecBench and trec_eval 10 keep
doubles, so a query whose scores differ only beyond float32 is compared with the trec_eval binary
given by --trec-eval (trec_eval 10, printing %.17g instead of %6.4f), not with pytrec_eval.
A case that trec_eval refuses (a duplicate
document in the run or in the qrels) must make recbench exit with status 2.
Prints one line per case and a summary; exits 1 when any case disagrees beyond 1e-12.
"""
import json
import os
import random
import re
import struct
import subprocess
import sys

import pytrec_eval

CUTOFFS = (1, 2, 3, 5, 10, 20)
MEASURES = {f"{m}_{k}" for m in ("P", "recall", "map_cut", "ndcg_cut") for k in CUTOFFS}
OURS = {"P": "P@{}", "recall": "R@{}", "map_cut": "MAP@{}", "ndcg_cut": "NDCG@{}"}
SPACE = b" \t\n\v\f\r"


def fields(line: bytes):
    return [f for f in re.split(rb"[ \t\n\v\f\r]+", line) if f]


def atol(field: bytes) -> int:
    m = re.match(rb"[+-]?[0-9]+", field)
    return int(m.group(0)) if m else None


def read_run(path):
    run, seen = {}, set()
    for line in open(path, "rb").read().split(b"\n"):
        f = fields(line)
        if not f or f[0].startswith(b"#"):
            continue
        q, d = f[0].hex(), f[2].hex()
        if (q, d) in seen:
            return None
        seen.add((q, d))
        run.setdefault(q, {})[d] = float(f[4])
    return run


def read_qrels(path):
    qrels = {}
    for line in open(path, "rb").read().split(b"\n"):
        f = fields(line)
        if not f or f[0].startswith(b"#"):
            continue
        q, d = f[0].hex(), f[2].hex()
        if d in qrels.get(q, {}):
            return None
        qrels.setdefault(q, {})[d] = atol(f[3])
    return qrels


def float32_ties(run) -> bool:
    """Whether two scores of one query differ as doubles but tie as float32 (trec_eval 9's precision)."""
    for docs in run.values():
        by_float = {}
        for score in docs.values():
            by_float.setdefault(struct.unpack("f", struct.pack("f", score))[0] if abs(score) < 3e38 else score, set()).add(score)
        if any(len(v) > 1 for v in by_float.values()):
            return True
    return False


def trec_eval_per_query(binary, run_path, qrels_path):
    """Per-query values from a trec_eval binary built to print full precision (%.17g)."""
    # trec_eval 10 exits 4 when a qrels query has no run line; -c scores such queries 0 and
    # leaves the others as they are, so its rows are kept only for the queries in the run.
    args = [binary, "-q", "-c"]
    for m in ("P", "recall", "map_cut", "ndcg_cut"):
        args += ["-m", m + "." + ",".join(map(str, CUTOFFS))]
    done = subprocess.run(args + [qrels_path, run_path], capture_output=True)
    if done.returncode != 0:
        return None            # e.g. trec_eval 10 cannot score a query whose only grades are negative
    out = done.stdout
    rows = {}
    for line in out.split(b"\n"):
        parts = line.split(b"\t")
        if len(parts) == 3 and parts[1] != b"all":
            rows.setdefault(parts[1].hex(), {})[parts[0].strip().decode()] = float(parts[2])
    in_run = {q for q in read_run(run_path)}
    return {q: v for q, v in rows.items() if q in in_run}


def line(q: bytes, d: bytes, score, rank=1) -> bytes:
    return q + b" Q0 " + d + b" " + str(rank).encode() + b" " + repr(float(score)).encode() + b" tag\n"


def handmade():
    """(name, run bytes, qrels bytes) cases written by hand."""
    nfc, nfd = "café".encode(), "cafe\u0301".encode()
    cases = [
        ("rank-disagrees-with-score", b"u Q0 a 1 0.1 t\nu Q0 b 2 0.9 t\n", b"u 0 a 1\n"),
        ("tied-scores", b"u Q0 a 1 0.5 t\nu Q0 b 2 0.5 t\nu Q0 c 3 0.5 t\nu Q0 d 4 0.4 t\n", b"u 0 a 1\nu 0 c 1\n"),
        ("graded", b"u Q0 a 1 2 t\nu Q0 b 2 1 t\n", b"u 0 a 1\nu 0 b 3\n"),
        ("graded-atol-and-negative", b"u Q0 a 1 3 t\nu Q0 b 2 2 t\nu Q0 c 3 1 t\n", b"u 0 a 2.7\nu 0 b -1\nu 0 c 1\nu 0 e 4\n"),
        ("all-zero-query", b"u Q0 a 1 1 t\nv Q0 a 1 1 t\n", b"u 0 a 0\nv 0 a 1\n"),
        ("missing-users", b"u Q0 a 1 1 t\nx Q0 a 1 1 t\n", b"u 0 a 1\nv 0 b 1\n"),
        ("unicode-nfc-nfd", b"u Q0 " + nfd + b" 1 2 t\nu Q0 " + nfc + b" 2 1 t\n", b"u 0 " + nfc + b" 1\n"),
        ("invalid-utf8", b"\xff Q0 \xfe 1 2 t\n\xff Q0 \xfd 2 2 t\n\xff Q0 a 3 2 t\n", b"\xff 0 \xfd 1\n\xff 0 a 2\n"),
        ("huge-ids", b"9" * 400 + b" Q0 " + b"1" * 300 + b" 1 1 t\n" + b"9" * 400 + b" Q0 " + b"1" * 301 + b" 2 1 t\n",
         b"9" * 400 + b" 0 " + b"1" * 300 + b" 1\n"),
        ("double-precision", b"u Q0 b 1 1.0 t\nu Q0 a 2 1.0000000001 t\n", b"u 0 a 1\n"),
        ("comments-tabs-extra-fields", b"# comment\n\nu\tQ0  a 1 1e0 t extra\nu Q0 b 2 -inf t\n", b"u 0 b 1\nu 0 a 0\n"),
        ("prefix-ids", b"u Q0 ab 1 1 t\nu Q0 a 2 1 t\nu Q0 abc 3 1 t\n", b"u 0 a 1\n"),
        ("fewer-than-k", b"u Q0 a 1 1 t\n", b"u 0 a 1\nu 0 b 1\nu 0 c 2\n"),
        ("duplicate-run-doc", b"u Q0 a 1 0.9 t\nu Q0 b 2 0.8 t\nu Q0 a 3 0.7 t\n", b"u 0 a 1\n"),
        ("duplicate-qrels-pair", b"u Q0 a 1 0.9 t\n", b"u 0 a 1\nu 0 a 0\n"),
    ]
    return cases


def randomized(rng: random.Random, count: int):
    alphabet = [b"a", b"b", b"Z", b"\xc3\xa9", b"e\xcc\x81", b"\xff", b"0", b"9", b"_", b"~"]
    for n in range(count):
        users = [b"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 6))]
        users = list(dict.fromkeys(users))
        run, qrels = b"", b""
        for u in users:
            docs = list(dict.fromkeys(b"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 25))))
            levels = [rng.choice([0.5, 0.25, 1.0, 2.0]), rng.random()]
            if rng.random() < 0.9:
                for rank, d in enumerate(docs, 1):
                    score = rng.choice(levels) if rng.random() < 0.6 else round(rng.random(), rng.choice([1, 2, 17]))
                    run += line(u, d, score, rank if rng.random() < 0.8 else rng.randint(1, 50))
            judged = rng.sample(docs, rng.randint(0, len(docs))) + [b"x" + bytes([65 + i]) for i in range(rng.randint(0, 3))]
            for d in dict.fromkeys(judged):
                qrels += u + b" 0 " + d + b" " + str(rng.choice([0, 0, 1, 1, 2, 3, -1])).encode() + b"\n"
        if not run or not qrels:
            continue
        yield (f"random-{n:05d}", run, qrels)


def main() -> None:
    binary, out = sys.argv[1], sys.argv[2]
    count = int(sys.argv[sys.argv.index("--random") + 1]) if "--random" in sys.argv else 500
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 12
    rng = random.Random(seed)
    metrics = [OURS[m].format(k) for m in OURS for k in CUTOFFS]
    trec_eval = sys.argv[sys.argv.index("--trec-eval") + 1] if "--trec-eval" in sys.argv else None
    worst, failures, refused, scored, skipped, float32_cases, trec_eval_failed = 0.0, [], 0, 0, 0, [], []
    for name, run_bytes, qrels_bytes in list(handmade()) + list(randomized(rng, count)):
        folder = os.path.join(out, name)
        os.makedirs(folder, exist_ok=True)
        run_path, qrels_path = os.path.join(folder, "run"), os.path.join(folder, "qrels")
        open(run_path, "wb").write(run_bytes)
        open(qrels_path, "wb").write(qrels_bytes)
        ours = subprocess.run([binary, "evaluate", "--run", run_path, "--qrels", qrels_path, "--json", "--per-query", "--metrics", *metrics],
                              capture_output=True)
        run, qrels = read_run(run_path), read_qrels(qrels_path)
        if run is None or qrels is None:
            refused += 1
            if ours.returncode != 2:
                failures.append(f"{name}: trec_eval refuses (duplicate), recbench exited {ours.returncode}")
            continue
        per_query = pytrec_eval.RelevanceEvaluator(qrels, MEASURES).evaluate(run)
        if not per_query:
            skipped += 1
            if ours.returncode != 2:
                failures.append(f"{name}: no common query, recbench exited {ours.returncode}")
            continue
        if ours.returncode != 0:
            failures.append(f"{name}: recbench exited {ours.returncode}: {ours.stderr.decode(errors='replace')[:200]}")
            continue
        scored += 1
        result = json.loads(ours.stdout)
        if not float32_ties(run) and result["queries"] != len(per_query):
            failures.append(f"{name}: {result['queries']} queries, pytrec_eval {len(per_query)}")
            continue
        for measure in ([] if float32_ties(run) else MEASURES):
            base, k = measure.rsplit("_", 1)
            mean = sum(v[measure] for v in per_query.values()) / len(per_query)
            diff = abs(mean - result["metrics"][OURS[base].format(k)])
            worst = max(worst, diff)
            if diff > 1e-12:
                failures.append(f"{name}: {measure} pytrec_eval {mean!r} recbench {result['metrics'][OURS[base].format(k)]!r}")
                break
        ours_rows = {row["queryHex"]: row["metrics"] for row in result["perQuery"]}
        references = [("pytrec_eval", per_query)]
        if float32_ties(run):
            references = []          # pytrec_eval's trec_eval 9 keeps scores as float32: its order differs by design
            float32_cases.append(name)
        if trec_eval:
            rows = trec_eval_per_query(trec_eval, run_path, qrels_path)
            if rows is None:
                trec_eval_failed.append(name)
            else:
                references.append(("trec_eval", rows))
        for tool, rows in references:
            if set(rows) != set(ours_rows):
                failures.append(f"{name}: {tool} scored queries {sorted(rows)} recbench {sorted(ours_rows)}")
                continue
            for q, values in rows.items():
                for measure in MEASURES:
                    base, k = measure.rsplit("_", 1)
                    diff = abs(values[measure] - ours_rows[q][OURS[base].format(k)])
                    worst = max(worst, diff)
                    if diff > 1e-12:
                        failures.append(f"{name}: query {q} {measure} {tool} {values[measure]!r} recbench {ours_rows[q][OURS[base].format(k)]!r}")
                        break
    for f in failures:
        print("DISAGREE", f)
    print(json.dumps({"cases": scored + refused + skipped, "scored": scored, "refusedAsTrecEval": refused,
                      "noCommonQuery": skipped, "disagreements": len(failures), "largestDifference": worst,
                      "float32TieCasesComparedWithTrecEvalOnly" if trec_eval else "float32TieCasesNotCompared": float32_cases,
                      "trecEvalFailedOn": trec_eval_failed,
                      "references": ["pytrec_eval"] + (["trec_eval " + trec_eval] if trec_eval else [])}))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
