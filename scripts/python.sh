#!/usr/bin/env bash
# The Python package (crates/cce-release-py): builds the extension once, in debug, into a
# temporary virtual environment (maturin develop, reusing the cargo target directory and the
# dependencies `cargo test` compiled), then runs its pytest suite: the API, the provider's SDK
# (huaweicloudsdkcce from PyPI, its real model classes and client), the secrets and escaping, and
# the differential test against the linter `cargo test` built.
#
#   scripts/python.sh
#
# Environment: PYTHON (default python3); CCE_RELEASE_LINT (default the debug binary in the cargo
# target directory); PYTHON_WORKDIR keeps the venv there (for reruns) instead of a temporary
# directory. Extra arguments go to pytest. Each step prints its time.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
crate="$root/crates/cce-release-py"
python=${PYTHON:-python3}
target_dir="${CARGO_TARGET_DIR:-target}"
[[ "$target_dir" == /* ]] || target_dir="$root/$target_dir"
linter="${CCE_RELEASE_LINT:-$target_dir/debug/cce-release-lint}"

if [ -n "${PYTHON_WORKDIR:-}" ]; then
  work="$PYTHON_WORKDIR"
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

step() { printf '\n== %s\n' "$*"; started=$SECONDS; }
elapsed() { printf '   (%ss)\n' "$(( SECONDS - started ))"; }
total=$SECONDS

step "virtual environment with maturin, pytest, huaweicloudsdkcce and mypy from PyPI"
if [ ! -x "$work/venv/bin/python" ]; then
  "$python" -m venv "$work/venv"
fi
# The extension's Rust build is CPU-bound and pip is network-bound: compile the crate and its
# dependencies (debug, the shared target directory) while pip downloads; maturin develop then
# finds them built. A failure here is left for maturin to report.
(
  cd "$crate"
  PYO3_PYTHON="$work/venv/bin/python" CARGO_TARGET_DIR="$target_dir" \
    cargo rustc --quiet --lib --manifest-path "$crate/Cargo.toml" >"$work/prebuild.log" 2>&1 || true
) &
prebuild=$!
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "maturin>=1.9,<2" "pytest>=8" "huaweicloudsdkcce>=3.1" "mypy>=1.10" >"$work/pip.log" 2>&1 \
  || { cat "$work/pip.log" >&2; echo "pip install failed" >&2; exit 1; }
"$work/venv/bin/python" -c 'from importlib.metadata import version as v; print("   maturin", v("maturin"), "pytest", v("pytest"), "huaweicloudsdkcce", v("huaweicloudsdkcce"))'
elapsed

step "maturin develop (debug build of cce_release._native)"
wait "$prebuild" || true
(
  cd "$crate"
  export VIRTUAL_ENV="$work/venv" PATH="$work/venv/bin:$PATH" CARGO_TARGET_DIR="$target_dir"
  maturin develop --quiet >"$work/maturin.log" 2>&1 \
    || { cat "$work/maturin.log" >&2; echo "maturin develop failed" >&2; exit 1; }
)
elapsed

step "pytest"
[ -x "$linter" ] || { echo "no linter at $linter (run cargo build first)" >&2; exit 1; }
(
  cd "$crate"
  CCE_RELEASE_LINT="$linter" CCE_RELEASE_REQUIRE_ALL=1 "$work/venv/bin/python" -m pytest -q --durations=5 "$@"
)
elapsed
printf '\npython step: %ss in all\n' "$(( SECONDS - total ))"
