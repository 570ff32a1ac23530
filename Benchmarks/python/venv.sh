#!/usr/bin/env bash
# Creates (once) the virtual environment that the peer-comparison scripts use, and prints its python.
# Usage: source-free; `PY=$(Benchmarks/python/venv.sh)`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${RECBENCH_VENV:-$here/../.venv}"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --upgrade pip >&2
fi
if ! "$venv/bin/python" -c "import pandas, numpy, scipy, threadpoolctl, implicit, pytrec_eval, ranx, surprise" 2>/dev/null; then
    "$venv/bin/pip" install --quiet -r "$here/requirements.txt" >&2
fi
echo "$venv/bin/python"
