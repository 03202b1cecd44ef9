#!/usr/bin/env bash
# Compares the linter's YAML readings and `yaml_ambiguous_scalar` findings with PyYAML (YAML 1.1)
# and ruamel.yaml (YAML 1.2) on a generated corpus of plain scalars (see compare.py).
#   CCE_RELEASE_LINT=path/to/cce-release-lint bash scripts/yaml-compare/run.sh
# The Python packages go to a temporary virtual environment.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
lint="${CCE_RELEASE_LINT:-$here/../../target/debug/cce-release-lint}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check "PyYAML==6.0.*" "ruamel.yaml==0.19.*"
"$work/venv/bin/python" -c 'import yaml, ruamel.yaml; print("PyYAML", yaml.__version__, "ruamel.yaml", ruamel.yaml.__version__)'
"$work/venv/bin/python" "$here/compare.py" "$lint" "$@"
