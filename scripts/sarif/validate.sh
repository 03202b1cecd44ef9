#!/usr/bin/env bash
# Validates the linter's SARIF with Microsoft's SARIF validator (`sarif-multitool validate`, from
# npm into a temporary directory), on the sample repository:
#   1. a run from a subdirectory (`releases/`, relative paths),
#   2. a run from `/` on absolute paths, with --base-dir,
#   3. a run naming a file outside the base directory (an absolute file:// URI),
# and checks that the validator reports no error (and, as a control, that it does report the
# error of a URI that is absolute under a uriBaseId, SARIF1004).
#   CCE_RELEASE_LINT=path/to/cce-release-lint bash scripts/sarif/validate.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
lint="${CCE_RELEASE_LINT:-$repo/target/debug/cce-release-lint}"
sample="$repo/tests/sample-repo"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

npm install --prefix "$work/npm" --no-audit --no-fund --silent "@microsoft/sarif-multitool@5" >/dev/null
multitool="$work/npm/node_modules/.bin/sarif-multitool"
"$multitool" --version | head -1

# lint NAME DIR ARGS...: a SARIF log of ARGS run in DIR (exit 1, findings, is expected).
lint_to() {
    local name=$1 dir=$2
    shift 2
    local status=0
    (cd "$dir" && "$lint" --format sarif "$@") > "$work/$name.sarif" || status=$?
    if [ "$status" -gt 1 ]; then
        echo "the linter could not run for $name (exit $status)" >&2
        exit 2
    fi
}

outside="$work/outside"
mkdir -p "$outside"
cp "$sample/releases/web/typo.json" "$outside/typo.json"
lint_to subdirectory "$sample/releases" .
lint_to absolute / --base-dir "$sample" "$sample/releases/koi/resize.yaml" "$sample/releases/web/typo.json"
lint_to outside "$sample" --no-config releases/web/typo.json "$outside/typo.json"

# A control: the validator must see what was wrong before (an absolute URI under %SRCROOT%).
python3 - "$work/subdirectory.sarif" "$work/control.sarif" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
artifact = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
artifact["uri"], artifact["uriBaseId"] = "file:///elsewhere/x.json", "%SRCROOT%"
json.dump(log, open(sys.argv[2], "w"))
PY

failures=0
for name in subdirectory absolute outside control; do
    "$multitool" validate "$work/$name.sarif" --output "$work/$name.validation.sarif" >/dev/null
    python3 - "$name" "$work/$name.sarif" "$work/$name.validation.sarif" <<'PY' || failures=$((failures + 1))
import json, sys
name, log_path, validation_path = sys.argv[1:]
log = json.load(open(log_path))
validation = json.load(open(validation_path))
findings = [r for run in validation["runs"] for r in run.get("results", [])]
errors = [r for r in findings if r.get("level", "warning") == "error"]
uris = sorted({loc["physicalLocation"]["artifactLocation"]["uri"] + (" (%SRCROOT%)" if "uriBaseId" in loc["physicalLocation"]["artifactLocation"] else "")
               for res in log["runs"][0]["results"] for loc in res["locations"]})
print("%s: %d results, locations %s" % (name, len(log["runs"][0]["results"]), ", ".join(uris)))
for r in findings:
    print("  %s %s %s" % (r.get("level", "warning"), r["ruleId"], r["message"].get("arguments") or r["message"].get("text")))
if name == "control":
    ok = any(r["ruleId"] == "SARIF1004" for r in errors)
    print("  control: the validator %s SARIF1004" % ("reports" if ok else "does NOT report"))
    sys.exit(0 if ok else 1)
if errors:
    print("  FAILED: %d errors" % len(errors))
    sys.exit(1)
print("  valid: no error")
PY
done
if [ "$failures" -ne 0 ]; then
    echo "$failures SARIF check(s) failed" >&2
    exit 1
fi
echo "SARIF from a subdirectory, from absolute paths and with a file outside the base: valid"
