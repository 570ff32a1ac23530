# Shared start of the peer-comparison scripts: sourced, not run.
# Sets root (the checkout), bin (the release recbench, freshly built) and py (the venv's python).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
swift build -c release --product recbench >&2
bin="$root/.build/release/recbench"
py="$("$root/Benchmarks/python/venv.sh")"
mkdir -p "$root/Benchmarks/out"
