#!/usr/bin/env bash
# Schema parity: the committed JSON Schemas compile in Ajv 8 (strict) and Python jsonschema, and
# give the same verdicts as cce-release-lint on a generated corpus. See README.md beside this file.
#
# Usage (from the repository root):  bash scripts/parity/run.sh
# Environment:
#   CCE_RELEASE_LINT  a linter binary to use instead of building one with cargo
#   PARITY_SEED       corpus seed (default: the generator's)
#   PARITY_WORKDIR    keep everything (installs, corpus, verdicts, disagreements.json) in this
#                     directory instead of a temporary one that is removed at exit
#   PYTHON            the Python 3 to use (default python3)
# Exit status: 0 the three agree; 1 a schema does not compile or some verdict differs;
# 2 the suite could not run (install, build or tool failure).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
python="${PYTHON:-python3}"

if [[ -n "${PARITY_WORKDIR:-}" ]]; then
  work="$PARITY_WORKDIR"
  mkdir -p "$work"
else
  work="$(mktemp -d "${TMPDIR:-/tmp}/cce-parity.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
fi

fail() { echo "parity: $*" >&2; exit 2; }
step() { echo "parity: $*" >&2; }

# --- 1. Tools, in parallel: the linter, Ajv (npm), jsonschema (PyPI), each in its own scratch
#        location. Major versions are pinned: Ajv 8, ajv-formats 3, jsonschema 4.
step "installing ajv@8 ajv-formats@3 and jsonschema 4 into $work; building the linter"
(
  mkdir -p "$work/node"
  cd "$work/node"
  npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    --prefix "$work/node" ajv@8 ajv-formats@3
) >"$work/npm.log" 2>&1 &
npm_pid=$!
(
  "$python" -m venv "$work/venv"
  "$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    'jsonschema>=4.18,<5'
) >"$work/pip.log" 2>&1 &
pip_pid=$!
if [[ -n "${CCE_RELEASE_LINT:-}" ]]; then
  linter="$CCE_RELEASE_LINT"
else
  cargo build --release --quiet --bin cce-release-lint || fail "cargo build failed"
  target_dir="${CARGO_TARGET_DIR:-target}"
  [[ "$target_dir" == /* ]] || target_dir="$root/$target_dir"
  linter="$target_dir/release/cce-release-lint"
fi
[[ -x "$linter" ]] || fail "no linter binary at $linter"
# The kinds and their schema files, from the linter itself rather than a copy in each script.
"$linter" --list kinds > "$work/kinds.json" || fail "$linter --list kinds failed"
wait "$npm_pid" || { cat "$work/npm.log" >&2; fail "npm install failed"; }
wait "$pip_pid" || { cat "$work/pip.log" >&2; fail "pip install failed"; }

# --- 2. The corpus: deterministic, seeded, written to the scratch directory.
"$python" "$here/gen_corpus.py" --out "$work/corpus" ${PARITY_SEED:+--seed "$PARITY_SEED"} \
  || fail "corpus generation failed"

# --- 3. The two schema tools, in parallel. Exit 1 from either means a schema does not compile.
"$work/venv/bin/python" "$here/check_python.py" --schemas "$root/schemas" \
  --corpus "$work/corpus" --out "$work/python.json" --kinds "$work/kinds.json" &
py_check=$!
node "$here/check_ajv.js" --modules "$work/node/node_modules" --schemas "$root/schemas" \
  --corpus "$work/corpus" --out "$work/ajv.json" --kinds "$work/kinds.json" &
ajv_check=$!
py_status=0; ajv_status=0
wait "$py_check" || py_status=$?
wait "$ajv_check" || ajv_status=$?
if [[ $py_status -gt 1 || $ajv_status -gt 1 ]]; then
  fail "a schema checker crashed (python: exit $py_status, ajv: exit $ajv_status)"
fi
if [[ $py_status -ne 0 || $ajv_status -ne 0 ]]; then
  echo "parity: FAILED, a schema does not compile in every tool (see above)" >&2
  exit 1
fi

# --- 4. The linter over the same files, and the three-way comparison.
"$python" "$here/compare.py" --linter "$linter" --corpus "$work/corpus" \
  --python "$work/python.json" --ajv "$work/ajv.json" --report "$work/disagreements.json"
