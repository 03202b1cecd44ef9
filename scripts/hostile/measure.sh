#!/usr/bin/env bash
# Time and peak memory of the release linter on every hostile shape of gen.py, at each size
# given (default 4M and 64M), in every output format:
#
#   bash scripts/hostile/measure.sh [SIZE...]
#
# Prints one line per run: shape, size, format, exit status, wall seconds, CPU seconds (user +
# sys: the figure to compare on a shared machine), peak RSS in MiB, and the budget the security
# promise sets at that size (3 x input + 32 MiB). Generated files go to a temporary
# directory that is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(4M 64M)
bin="${CCE_RELEASE_LINT:-target/release/cce-release-lint}"
[ -x "$bin" ] || cargo build --release --quiet
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
formats=(${FORMATS:-human json sarif github})
printf '%-24s %5s %-7s %4s %8s %8s %9s %9s\n' shape size format exit wall_s cpu_s peak_mib budget
for size in "${sizes[@]}"; do
    for shape in $(python3 -c 'import sys; sys.path.insert(0, "scripts/hostile"); import gen; print(" ".join(gen.SHAPES))'); do
        mapfile -t args < <(python3 scripts/hostile/gen.py "$shape" "$size" "$dir")
        input="${args[-1]}"
        bytes=$(stat -c %s "$input")
        budget=$(( (3 * bytes + 32 * 1024 * 1024) / 1024 / 1024 ))
        for format in "${formats[@]}"; do
            status=0
            /usr/bin/time -f '%e %U %S %M' -o "$dir/time" "$bin" --format "$format" "${args[@]}" \
                > /dev/null 2>"$dir/stderr" || status=$?
            read -r seconds user sys kib < <(tail -n 1 "$dir/time")
            cpu=$(python3 -c "print(f'{$user + $sys:.2f}')")
            printf '%-24s %5s %-7s %4s %8s %8s %9s %9s\n' "$shape" "$size" "$format" "$status" \
                "$seconds" "$cpu" "$(( kib / 1024 ))" "$budget"
        done
        rm -f "$dir"/*.json
    done
done
