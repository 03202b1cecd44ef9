#!/usr/bin/env bash
# Instruction counts (valgrind callgrind: repeatable on a noisy machine) of validate_bytes against
# the parse alone, per payload. Usage: bash benches/instructions.sh [FILE...]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 2; }
cargo build --quiet --release --example profile_loop
bin=target/release/examples/profile_loop
count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$@" 2>&1 | sed -n 's/.*refs: *//p' | tr -d ,; }
n=2000
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(examples/create-release.json benches/data/seven-findings.json)
printf '%-40s %14s %14s %7s\n' payload "parse/iter" "validate/iter" ratio
for f in "${files[@]}"; do
    base=$(count "$f" 0)
    parse=$(( ($(count "$f" $n parse) - base) / n ))
    validate=$(( ($(count "$f" $n) - base) / n ))
    printf '%-40s %14d %14d %7s\n' "$f" "$parse" "$validate" "$(python3 -c "print(f'{$validate/$parse:.2f}x')")"
done
