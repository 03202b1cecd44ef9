#!/usr/bin/env bash
# Runs bench/compare.py in a temporary venv: cce_release built in release mode (maturin develop
# --release), and jsonschema-rs, fastjsonschema, jsonschema and pydantic from PyPI. Not run in CI.
#
#   bash crates/cce-release-py/bench/run.sh [--repeats N] [--target SECONDS]
#
# BENCH_WORKDIR keeps the venv there (for reruns) instead of a temporary directory.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
crate=$(dirname "$here")
if [ -n "${BENCH_WORKDIR:-}" ]; then
  work="$BENCH_WORKDIR"
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
[ -x "$work/venv/bin/python" ] || "${PYTHON:-python3}" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "maturin>=1.9,<2" jsonschema-rs fastjsonschema jsonschema "pydantic>=2" typing_extensions
(
  cd "$crate"
  VIRTUAL_ENV="$work/venv" PATH="$work/venv/bin:$PATH" maturin develop --release --quiet
)
"$work/venv/bin/python" "$here/compare.py" "$@"
