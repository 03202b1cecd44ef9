#!/usr/bin/env bash
# Holds the validating mock server (crates/cce-release-axum, example `mock`) to the OpenAPI
# document with Schemathesis, an independent API-testing client from PyPI:
#
#   - positive mode: requests the document calls valid must be accepted (2xx; 404 for a release
#     the mock does not have, 409 for a name in use), and every answer must conform;
#   - negative mode: requests the document calls invalid, where the change reaches the request,
#     must be refused (400, 401, 404, 413) *at the changed field*: the error body's `findings`
#     must point there (hooks.py, check `rejected_at_changed_field`);
#   - both: every answer conforms to the document (status, content type, schema), no 5xx.
#
# A fixed seed and a bounded number of examples per operation keep it reproducible and short.
#
# Usage (from anywhere):  bash scripts/schemathesis/run.sh
# Environment:
#   CCE_RELEASE_MOCK    the mock binary (default: target/debug/examples/mock, built if missing)
#   ST_EXAMPLES         examples per operation and mode in the fuzzing phase (default 25)
#   ST_SEED             the seed (default 15)
#   PYTHON              the interpreter for the venv (default python3)
#   ST_WORKDIR          keep the venv and reports there instead of a temporary directory
# Exit status: 0 both modes pass; 1 a check failed; 2 could not run.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"
examples="${ST_EXAMPLES:-25}"
seed="${ST_SEED:-15}"
# Pinned: a new release may generate other cases or add checks; upgrade on purpose.
schemathesis_version="4.32.5"

if [[ -n "${ST_WORKDIR:-}" ]]; then
  work="$ST_WORKDIR"
  mkdir -p "$work"
else
  work="$(mktemp -d "${TMPDIR:-/tmp}/cce-schemathesis.XXXXXX")"
fi
mock_pids=()
cleanup() {
  for pid in "${mock_pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  if [[ -z "${ST_WORKDIR:-}" ]]; then rm -rf "$work"; fi
}
trap cleanup EXIT
fail() { echo "schemathesis: $*" >&2; exit 2; }

start=$SECONDS
mock="${CCE_RELEASE_MOCK:-$root/target/debug/examples/mock}"
if [[ ! -x "$mock" ]]; then
  echo "schemathesis: building the mock (debug)" >&2
  (cd "$root" && cargo build --quiet -p cce-release-axum --example mock) || fail "cannot build the mock"
  mock="$root/target/debug/examples/mock"
fi

if [[ ! -x "$work/venv/bin/schemathesis" ]]; then
  echo "schemathesis: installing schemathesis $schemathesis_version into $work" >&2
  {
    "$python" -m venv "$work/venv" &&
    "$work/venv/bin/python" -m pip install --quiet --no-compile --disable-pip-version-check \
      "schemathesis==$schemathesis_version"
  } >"$work/pip.log" 2>&1 || { cat "$work/pip.log" >&2; fail "pip install failed"; }
fi
installed=$SECONDS

# Two mocks on free loopback ports, one per validator mode (see below); each prints
# `listening on http://ADDR` once it accepts connections.
mock_pids=()
start_mock() { # NAME ARGS...
  local name="$1"; shift
  : >"$work/mock-$name.log"
  "$mock" --addr 127.0.0.1:0 "$@" 2>"$work/mock-$name.log" &
  mock_pids+=("$!")
  local pid=$! url=""
  for _ in $(seq 100); do
    url="$(sed -n 's/^listening on //p' "$work/mock-$name.log")"
    [[ -n "$url" ]] && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/mock-$name.log" >&2; fail "the $name mock did not start"; }
    sleep 0.1
  done
  [[ -n "$url" ]] || fail "the $name mock did not say where it listens"
  printf -v "base_$name" '%s' "$url"
}
start_mock default
start_mock strict --strict

# Checks: all of Schemathesis's, plus ours (hooks.py), less these, each for its reason:
#   ignored_auth     the mock checks the *shape* of credentials, never whether a token or a
#                    signature is genuine (no secrets, no clock: SECURITY.md, "What it does not
#                    promise"), so the "invalid credentials" Schemathesis sends (a token of the
#                    right shape) are accepted by design. Missing and malformed credentials are
#                    refused with 401: crates/cce-release-axum/tests, and negative mode here
#                    (X-Sdk-Date).
#
# The two validator modes differ from the document on purpose (README, "How the modes relate to
# the OpenAPI document"), in opposite directions, so each mode of Schemathesis runs against the
# mock in the mode that contains the document on its side:
#   positive -> the default mock. Strict mode refuses what the document accepts: a loose chart
#               version (`v3.0.1`, `3.0`: Helm takes it, `loose_version`) and a parameter that
#               does nothing in its operation (`ineffective_parameter`). The default mode only
#               warns about them, and refuses nothing the document accepts.
#   negative -> the strict mock. The default mode accepts, with an `unknown_field` warning, a
#               body member the document's `additionalProperties: false` refuses (the
#               provider's own example sends two, `project_id` and `cluster_id`). Strict mode
#               refuses it, at that member.
# Any other disagreement fails the run.
exclude_checks="ignored_auth"

common=(
  "$root/schemas/openapi.json"
  --seed "$seed"
  --max-examples "$examples"
  --phases coverage,fuzzing
  --checks all
  --exclude-checks "$exclude_checks"
  # Credentials come from here, not from generation: random tokens and signatures test nothing
  # the mock checks beyond their shape (see ignored_auth above).
  --generation-with-security-parameters false
  --header "X-Auth-Token: schemathesis-token"
  --generation-database none
  --no-color
)

# One run: a mode under a prefix. Its output goes to a log, printed whole when it fails.
run_one() { # MODE PREFIX
  local mode="$1" prefix="$2" url config
  local name="$mode-${prefix//\//_}"
  if [[ "$mode" == positive ]]; then
    url="$base_default"
    config="$work/positive.toml"
  else
    url="$base_strict"
    config="$work/negative.toml"
  fi
  if CCE_ST_COUNTS="$work/counts-$name.json" SCHEMATHESIS_HOOKS=hooks PYTHONPATH="$here" \
       "$work/venv/bin/schemathesis" --config-file "$config" run "${common[@]}" \
       --url "$url$prefix" --mode "$mode" >"$work/$name.log" 2>&1; then
    echo ok >"$work/$name.status"
  else
    echo failed >"$work/$name.status"
  fi
}

# Valid requests: created (201), answered (200); a release the store does not have (404, the
# API's `CCE.01404001`), a name already in use (409, `CCE.01409001`). Nothing else: no 401, no 5xx.
printf '[checks.positive_data_acceptance]\nexpected-statuses = ["200", "201", "404", "409"]\n' \
  >"$work/positive.toml"
# Invalid requests: refused for their shape (400), their credentials (401), their route (404),
# their size (413). Nothing else.
printf '[checks.negative_data_rejection]\nexpected-statuses = ["400", "401", "404", "413"]\n' \
  >"$work/negative.toml"

# Schemathesis writes its state (`.schemathesis/`) where it runs: not in the repository.
cd "$work"
prefixes=(/autopilot/cam/v3 /cce/cam/v3)
echo "--- schemathesis: positive and negative modes under ${prefixes[*]} (seed $seed, $examples examples per operation in fuzzing)" >&2
# One process per prefix, both at once (Schemathesis is single-threaded Python).
pids=()
for prefix in "${prefixes[@]}"; do
  ( run_one positive "$prefix"; run_one negative "$prefix" ) &
  pids+=("$!")
done
for pid in "${pids[@]}"; do wait "$pid"; done

status=0
for mode in positive negative; do
  for prefix in "${prefixes[@]}"; do
    name="$mode-${prefix//\//_}"
    if [[ "$(cat "$work/$name.status" 2>/dev/null)" == ok ]]; then
      summary="$(grep -E "^ *[0-9]+ generated" "$work/$name.log" | tr -s ' ' || true)"
      echo "schemathesis: $mode $prefix:$summary" >&2
    else
      cat "$work/$name.log" >&2
      echo "schemathesis: FAILED $mode $prefix" >&2
      status=1
    fi
    if [[ -f "$work/counts-$name.json" ]]; then
      echo "schemathesis: $mode $prefix counts: $(cat "$work/counts-$name.json")" >&2
    fi
  done
done
echo "schemathesis: $(( SECONDS - start ))s in all ($(( installed - start ))s installing)" >&2
exit "$status"
