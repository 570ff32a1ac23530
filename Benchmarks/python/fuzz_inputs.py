"""A seeded mutation fuzzer over recbench's input readers: every loader format, TREC run/qrels,
split folders and experiment files.

Usage: python fuzz_inputs.py RECBENCH_BINARY OUT_DIR [--cases N] [--seconds S] [--seed K]

Each case takes a small valid input of one kind, applies 1-4 seeded mutations (byte flips,
deletions, insertions of hostile bytes and numbers, duplicated or swapped lines, truncation,
old Mac line endings, huge fields), and runs the recbench command that reads it with a time
limit. A finding is any of: a crash (a signal such as SIGILL from a Swift trap), a time-out,
an exit status other than 0, 1 or 2 (and 64, ArgumentParser's usage error), an error message
that does not start with "error:", is longer than 2,000 bytes or contains a raw control byte
(ESC), or exit 0 with an empty dataset. Findings are copied to OUT_DIR/findings/<case>/ with the
command line; a JSON summary is printed last. Exits 1 when there is any finding.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import time

HOSTILE = [b"\x00", b"\r", b"\r\n", b"\x1b[31m", b"\xff\xfe", b"::", b":", b"|", b"\t", b",", b'"', b"-1", b"0",
           b"9223372036854775807", b"9223372036854775808", b"-9223372036854775808", b"1e309", b"nan", b"inf", b"-0",
           b"4294967296", b"2147483648", b"1e-320", b"\n", b"A" * 3000, b"\xc3\xa9", b"e\xcc\x81", b"#", b"[", b"]", b"=", b"\"\"\""]
NUMBERS = [b"0", b"-1", b"1", b"2", b"9223372036854775807", b"9223372036854775806", b"-9223372036854775808",
           b"1000000000000000", b"1e308", b"1e-308", b"4611686018427387904", b"100000000", b"256", b"65536", b"0.0", b"-0.5", b"nan", b"inf"]


def corpus(folder: str, rng: random.Random):
    """(kind, files {relative name: bytes}, argv builder) of the valid starting inputs."""
    users, items = [f"{100 + u}" for u in range(12)], [f"{7 + i}" for i in range(15)]
    rows = [(rng.choice(users), rng.choice(items), rng.randint(1, 5), 874965758 + rng.randint(0, 10 ** 6)) for _ in range(60)]
    rows = list({(u, i): (u, i, r, t) for u, i, r, t in rows}.values())
    delimited = b"user\titem\tcount\n" + b"".join(f"{u}\t{i}\t{r}\n".encode() for u, i, r, _ in rows)
    u_data = b"".join(f"{u}\t{i}\t{r}\t{t}\n".encode() for u, i, r, t in rows)
    u_item = b"".join(f"{i}|Film {i} (1995)|01-Jan-1995||http://x|0|1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0\n".encode() for i in items)
    ratings_dat = b"".join(f"{u}::{i}::{r}::{t}\n".encode() for u, i, r, t in rows)
    movies_dat = b"".join(f"{i}::Star Wars: Episode {i} (1977)::Action|Sci-Fi\n".encode() for i in items)
    ratings_csv = b"userId,movieId,rating,timestamp\n" + b"".join(f"{u},{i},{r}.5,{t}\n".encode() for u, i, r, t in rows)
    movies_csv = b"movieId,title,genres\n" + b"".join(f'{i},"Film, {i} (1995)",Drama|Comedy\n'.encode() for i in items)
    lastfm = b"userID\tartistID\tweight\n" + b"".join(f"{u}\t{i}\t{r * 13}\n".encode() for u, i, r, _ in rows)
    artists = b"id\tname\turl\tpictureURL\n" + b"".join(f"{i}\tArtist {i}\thttp://x\thttp://y\n".encode() for i in items)
    plays = b"".join(f"{u} {i} {r}\n".encode() for u, i, r, _ in rows)
    aliases = b"".join(f"{items[k]}\t{items[k + 1]}\n".encode() for k in range(0, 6))
    artist_data = b"".join(f"{i}\tBand {i}\n".encode() for i in items)
    run = b"".join(f"{u} Q0 {i} {n + 1} {1.0 / (n + 1)} t\n".encode() for n, (u, i, _, _) in enumerate(rows[:30]))
    qrels = b"".join(f"{u} 0 {i} {r % 3}\n".encode() for u, i, r, _ in rows[20:50])
    train = b"".join(f"{u}\t{i}\t{r}\n".encode() for u, i, r, _ in rows[:40])
    test = b"".join(f"{u}\t{i}\t{r}\n".encode() for u, i, r, _ in rows[40:])
    ids_users = b"".join(f"{u}\n".encode() for u in dict.fromkeys(u for u, _, _, _ in rows))
    ids_items = b"".join(f"{i}\n".encode() for i in dict.fromkeys(i for _, i, _, _ in rows))
    experiment = f"""name = "fuzz"
[dataset]
name = "{{dir}}/data.tsv"
format = "delimited"
header = true
min_item_users = 1
[split]
method = "leave-one-out"
selection = "random"
seed = 7
[evaluation]
metrics = ["P", "NDCG", "AUC"]
cutoffs = [5, 10]
select = "NDCG@10"
bootstrap = 10
[search]
seeds = [1, 2]
strategy = "grid"
[[algorithms]]
name = "ALS"
type = "als"
factors = [8, 16]
regularization = {{ min = 0.01, max = 1.0, scale = "log", steps = 3 }}
iterations = 2
[[algorithms]]
name = "BPR"
type = "bpr"
factors = 8
epochs = {{ min = 1, max = 5, steps = 2 }}
[[algorithms]]
name = "VAE"
type = "mult-vae"
layers = [16, 4]
batch_size = 10
epochs = 1
[[algorithms]]
name = "KNN"
type = "item-knn"
neighbors = [5, 10]
""".encode()
    return [
        ("delimited", {"data.tsv": delimited}, lambda d: ["stats", f"{d}/data.tsv", "--format", "delimited", "--header", "--json"]),
        ("delimited-auto", {"data.tsv": delimited}, lambda d: ["stats", f"{d}/data.tsv", "--json"]),
        ("movielens-100k", {"u.data": u_data, "u.item": u_item}, lambda d: ["stats", d, "--json"]),
        ("movielens-1m", {"ratings.dat": ratings_dat, "movies.dat": movies_dat}, lambda d: ["stats", d, "--json"]),
        ("movielens-latest", {"ratings.csv": ratings_csv, "movies.csv": movies_csv}, lambda d: ["stats", d, "--json"]),
        ("lastfm-2k", {"user_artists.dat": lastfm, "artists.dat": artists}, lambda d: ["stats", d, "--json"]),
        ("audioscrobbler", {"user_artist_data.txt": plays, "artist_alias.txt": aliases, "artist_data.txt": artist_data},
         lambda d: ["stats", d, "--json", "--full-aliases"]),
        ("trec", {"run": run, "qrels": qrels}, lambda d: ["evaluate", "--run", f"{d}/run", "--qrels", f"{d}/qrels", "--json"]),
        ("split-folder", {"train.tsv": train, "test.tsv": test, "users.tsv": ids_users, "items.tsv": ids_items},
         lambda d: ["evaluate", "--split-dir", d, "--algorithm", "popularity", "--bootstrap", "10", "--json"]),
        ("experiment", {"exp.toml": experiment, "data.tsv": delimited}, lambda d: ["run", f"{d}/exp.toml", "--check", "--results", f"{d}/results"]),
    ]


def mutate(data: bytes, rng: random.Random, kind: str) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(11)
        pos = rng.randrange(len(b) + 1) if b else 0
        if op == 0 and b:
            b[min(pos, len(b) - 1)] = rng.randrange(256)
        elif op == 1 and b:
            del b[pos:pos + rng.randint(1, 8)]
        elif op == 2:
            b[pos:pos] = rng.choice(HOSTILE)
        elif op in (3, 4):        # replace a number-like token
            tokens = [i for i in range(1, len(b)) if chr(b[i]).isdigit() and not chr(b[i - 1]).isdigit()]
            if tokens:
                start = rng.choice(tokens)
                end = start
                while end < len(b) and (chr(b[end]).isdigit() or b[end] in b".e-"):
                    end += 1
                b[start:end] = rng.choice(NUMBERS)
        elif op == 5:
            lines = bytes(b).split(b"\n")
            k = rng.randrange(len(lines))
            lines.insert(k, lines[k])
            b = bytearray(b"\n".join(lines))
        elif op == 6:
            lines = bytes(b).split(b"\n")
            rng.shuffle(lines)
            b = bytearray(b"\n".join(lines))
        elif op == 7:
            b = b[:pos]
        elif op == 8:
            b = bytearray(bytes(b).replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
        elif op == 9:
            b[pos:pos] = rng.choice([b"\t", b",", b"|", b" ", b"::"]) * rng.randint(1, 40)
        elif op == 10 and kind == "experiment":
            text = bytes(b)
            swaps = [(b'"grid"', b'"random"'), (b"samples", b"samples"), (b'"als"', b'"bpr"'), (b"[8, 16]", b"[" + b", ".join([b"8"] * 50) + b"]"),
                     (b"steps = 3", b"steps = 1000000000000000"), (b'"fuzz"', b'".."'), (b"cutoffs = [5, 10]", b"cutoffs = [100000000]"),
                     (b"layers = [16, 4]", b"layers = [1000000, 4611686018427387904]"), (b"batch_size = 10", b"batch_size = 9223372036854775807")]
            old, new = rng.choice(swaps)
            b = bytearray(text.replace(old, new))
    return bytes(b)


def main() -> None:
    binary, out = sys.argv[1], sys.argv[2]
    cases = int(sys.argv[sys.argv.index("--cases") + 1]) if "--cases" in sys.argv else 3000
    seconds = float(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 600
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 2026
    rng = random.Random(seed)
    work = os.path.join(out, "work")
    findings, ran, by_kind, started = [], 0, {}, time.monotonic()
    env = dict(os.environ, RECBENCH_CACHE=os.path.join(out, "cache"))
    for n in range(cases):
        if time.monotonic() - started > seconds:
            break
        starting = corpus(work, random.Random(seed * 1_000_003 + n))
        kind, files, argv = starting[n % len(starting)]
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        target = rng.choice(sorted(files))
        for name, data in files.items():
            data = data.replace(b"{dir}", work.encode())
            open(os.path.join(work, name), "wb").write(mutate(data, rng, kind) if name == target else data)
        command = [binary] + argv(work)
        try:
            done = subprocess.run(command, capture_output=True, timeout=20, env=env)
            status, err, out_bytes = done.returncode, done.stderr, done.stdout
        except subprocess.TimeoutExpired:
            status, err, out_bytes = "timeout", b"", b""
        ran += 1
        by_kind[kind] = by_kind.get(kind, 0) + 1
        problem = None
        if status == "timeout":
            problem = "no answer within 20 s"
        elif status < 0:
            problem = f"killed by signal {-status}"
        elif status not in (0, 1, 2, 64):
            problem = f"exit status {status}"
        elif status in (2, 64) and not (err.startswith(b"error:") or err.startswith(b"Error:") or b"\nerror:" in err):
            problem = "error message does not start with 'error:'"
        elif len(err) > 2000 and status != 0:
            problem = f"error message of {len(err)} bytes"
        elif b"\x1b" in err:
            problem = "raw ESC byte in the message"
        elif status == 0 and kind != "experiment" and (b'"interactions" : 0' in out_bytes or b'"users" : 0,' in out_bytes):
            problem = "exit 0 with an empty dataset"
        if problem:
            keep = os.path.join(out, "findings", f"{n:05d}-{kind}")
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(work, keep)
            open(os.path.join(keep, "COMMAND"), "w").write(" ".join(command) + f"\n# {problem}\n# stderr: {err[:500]!r}\n")
            findings.append({"case": n, "kind": kind, "problem": problem, "stderr": err[:300].decode(errors="replace")})
    shutil.rmtree(work, ignore_errors=True)
    for f in findings:
        print("FINDING", json.dumps(f))
    print(json.dumps({"seed": seed, "cases": ran, "byKind": by_kind, "findings": len(findings),
                      "seconds": round(time.monotonic() - started, 1)}))
    sys.exit(1 if findings else 0)


if __name__ == "__main__":
    main()
