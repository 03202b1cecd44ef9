#!/usr/bin/env bash
# Time and peak memory of the release linter on hostile YAML shapes, beside the same shape in
# JSON where there is one:
#
#   bash scripts/hostile/yaml-memory.sh [SIZE_KIB]   (default 1024: 1 MiB)
#
# Shapes: a block list and a flow list of one-character scalars, a mapping of ambiguous plain
# scalars (`kN: yes`), one key repeated, a list of tagged scalars, a "billion laughs", and a
# one-line flow list longer than the parser may look ahead (one finding). Prints shape, bytes,
# exit status, wall and CPU seconds and peak RSS in MiB. Uses target/release if built, else
# target/debug (CCE_RELEASE_LINT overrides). Files go to a temporary directory, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
kib="${1:-1024}"
bin="${CCE_RELEASE_LINT:-}"
if [ -z "$bin" ]; then
    bin=target/release/cce-release-lint
    [ -x "$bin" ] || bin=target/debug/cce-release-lint
fi
[ -x "$bin" ] || cargo build --quiet
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" "$kib" <<'PY'
import sys
d, size = sys.argv[1], int(sys.argv[2]) * 1024
head = "chart_id: e99a7e86-afdd-11eb-aca3-0255ac100b0e\nvalues:\n"
def fill(start, line):
    out = [start]
    n = len(start)
    i = 0
    while n < size:
        s = line.format(i=i)
        out.append(s)
        n += len(s)
        i += 1
    return "".join(out)
shapes = {
    "block-list.yaml": fill("", "- 1\n"),
    "block-list.json": "[" + ",".join(["1"] * (size // 4)) + "]",
    "flow-list-lines.yaml": "[\n" + ",\n".join(["1"] * (size // 2 - 1)) + "]\n",
    "ambiguous.yaml": fill(head, "  k{i}: yes\n"),
    "repeated.yaml": fill("values:\n", "  k: 1\n"),
    "tags.yaml": fill("values:\n", "  - !vault \"x\"\n"),
    "flow-list.yaml": "[" + ",".join(["1"] * (size // 2)) + "]",
}
laughs = "a0: &a0 [" + ", ".join(["lol"] * 10) + "]\n"
for i in range(1, 30):
    laughs += f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]\n"
shapes["laughs.yaml"] = laughs
for name, text in shapes.items():
    open(f"{d}/{name}", "w").write(text)
PY
printf '%-22s %9s %4s %7s %7s %8s\n' shape bytes exit wall_s cpu_s peak_mib
for f in "$dir"/*.yaml "$dir"/*.json; do
    status=0
    /usr/bin/time -f '%e %U %S %M' -o "$dir/time" "$bin" --kind create-request --format json \
        --max-input-size 256M "$f" > /dev/null 2> "$dir/stderr" || status=$?
    read -r wall user sys rss < <(tail -n 1 "$dir/time")
    cpu=$(python3 -c "print(f'{$user + $sys:.2f}')")
    printf '%-22s %9s %4s %7s %7s %8s\n' "$(basename "$f")" "$(stat -c %s "$f")" "$status" \
        "$wall" "$cpu" "$(( rss / 1024 ))"
done
