#!/usr/bin/env bash
# End-to-end tests of `cce-release-lint server` with a real LSP client from PyPI (pytest-lsp):
#   CCE_RELEASE_LINT=path/to/cce-release-lint bash scripts/lsp/run.sh [pytest args]
# The Python packages go to a temporary virtual environment.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export CCE_RELEASE_LINT="${CCE_RELEASE_LINT:-$here/../../target/debug/cce-release-lint}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check "pytest-lsp==1.0.*" "pytest==8.*"
cd "$here"
"$work/venv/bin/python" -m pytest -q -p no:cacheprovider test_server.py "$@"
