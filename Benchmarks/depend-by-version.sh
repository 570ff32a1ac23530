#!/usr/bin/env bash
# Shows that another package can depend on RecBench by version: clones the current commit into a
# temporary folder, tags it 99.0.0, points a copy of Examples/DependentPackage at that clone
# (`.package(url: "file://…", from: "99.0.0")`), builds it in release and runs it.
#
#   Benchmarks/depend-by-version.sh                       build and run the example
#   Benchmarks/depend-by-version.sh kernels               also time the kernels as the client built them
#   Benchmarks/depend-by-version.sh --client-vector avx512 kernels
#                                                         the client adds the vector flags itself
#                                                         (avx512 or avx2; README.md, "Depending on RecBench")
#
# Only committed changes are in the clone. WORK=<folder> keeps the clone and the client's build
# there (later runs rebuild only what changed); without it a temporary folder is removed at the end.
# Slow (a release build of RecBench and its dependencies): never part of `swift test`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

client_vector=none
run_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --client-vector) client_vector="${2:?--client-vector needs avx512, avx2 or none}"; shift 2 ;;
        *) run_args+=("$1"); shift ;;
    esac
done
case "$client_vector" in
    avx512) client_flags=(-Xswiftc -Xcc -Xswiftc -march=x86-64-v4 -Xswiftc -Xcc -Xswiftc -mprefer-vector-width=512
                          -Xswiftc -DRECBENCH_BUILT_AVX512) ;;
    avx2) client_flags=(-Xswiftc -Xcc -Xswiftc -march=x86-64-v3 -Xswiftc -DRECBENCH_BUILT_AVX2) ;;
    none) client_flags=() ;;
    *) echo "error: --client-vector must be avx512, avx2 or none, not '$client_vector'" >&2; exit 2 ;;
esac

if [ -n "${WORK:-}" ]; then
    work="$WORK"; mkdir -p "$work"
else
    work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
fi
commit="$(git -C "$root" rev-parse HEAD)"
if [ -n "$(git -C "$root" status --porcelain -- Package.swift Sources Examples/DependentPackage)" ]; then
    echo "note: uncommitted changes in $root are not part of the clone" >&2
fi

# The dependency: this commit, tagged, in a folder named after the commit (a new URL per commit,
# so a kept client never reuses another commit's clone).
clone="$work/${commit:0:12}/RecBench"
if [ ! -d "$clone/.git" ]; then
    git init -q "$clone"
    git -C "$clone" fetch -q "$root" HEAD
    git -C "$clone" -c advice.detachedHead=false checkout -q FETCH_HEAD
    git -C "$clone" tag 99.0.0
fi

# The client: the example with its dependency line pointed at the clone.
client="$work/DependentPackage"
mkdir -p "$client"
cp "$root/Examples/DependentPackage/Package.swift" "$client/"
rm -rf "$client/Sources"; cp -R "$root/Examples/DependentPackage/Sources" "$client/"
sed -i "s|^\( *\)\.package(url: .*// recbench-dependency\$|\1.package(url: \"file://$clone\", from: \"99.0.0\"), // recbench-dependency|" "$client/Package.swift"
grep -q "file://$clone" "$client/Package.swift" || { echo "error: could not point the example at $clone" >&2; exit 1; }
rm -f "$client/Package.resolved"

echo "RecBench $commit tagged 99.0.0 at $clone"
grep "// recbench-dependency" "$client/Package.swift" | sed "s/^ *//"
echo "client vector flags: ${client_flags[*]:-(none)}"
if ! swift build -c release --package-path "$client" "${client_flags[@]}" > "$work/build.log" 2>&1; then
    tail -30 "$work/build.log" >&2; exit 1
fi
grep -vE '^\[[0-9]+/[0-9]+\]|^(Fetching|Fetched|Cloning|Cloned|Creating|Computing|Computed|Working copy|Updating|Updated)' "$work/build.log" || true
"$client/.build/release/DependentPackage" "${run_args[@]}"
