#!/usr/bin/env bash
# Checks schemas/openapi.json with a real OpenAPI validator and against the committed schemas.
#
#   1. `openapi-spec-validator` (PyPI, installed into a temporary venv) validates the document as
#      OpenAPI 3.1: the document against the OAS 3.1 schema, every component schema against the
#      OAS 3.1 JSON Schema dialect, every $ref resolved.
#   2. agree.py: each component schema equals its committed schema file less `$schema`, every
#      operation of the route table is there with its bodies, and every pattern compiles in
#      Python's `re`.
#
# Usage (from anywhere):  bash scripts/openapi/check.sh
# Environment: PYTHON (default python3); OPENAPI_WORKDIR keeps the venv there instead of a
# temporary directory removed at exit.
# Exit status: 0 valid and in agreement; 1 the document is invalid or disagrees; 2 could not run.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"
doc="$root/schemas/openapi.json"

if [[ -n "${OPENAPI_WORKDIR:-}" ]]; then
  work="$OPENAPI_WORKDIR"
  mkdir -p "$work"
else
  work="$(mktemp -d "${TMPDIR:-/tmp}/cce-openapi.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
fi

fail() { echo "openapi: $*" >&2; exit 2; }

[[ -f "$doc" ]] || fail "no $doc"
echo "openapi: installing openapi-spec-validator into $work" >&2
{
  "$python" -m venv "$work/venv" &&
  "$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    'openapi-spec-validator>=0.7,<1'
} >"$work/pip.log" 2>&1 || { cat "$work/pip.log" >&2; fail "pip install failed"; }
version="$("$work/venv/bin/python" -c 'from importlib.metadata import version; print(version("openapi-spec-validator"))')"

status=0
if "$work/venv/bin/openapi-spec-validator" --schema 3.1 --validation-errors all "$doc"; then
  echo "openapi: openapi-spec-validator $version: schemas/openapi.json is valid OpenAPI 3.1" >&2
else
  echo "openapi: FAILED, openapi-spec-validator $version rejects schemas/openapi.json" >&2
  status=1
fi
"$work/venv/bin/python" "$here/agree.py" --doc "$doc" --schemas "$root/schemas" || status=$?
exit "$status"
