#!/usr/bin/env bash
# Proves the pre-commit packaging: installs pre-commit from PyPI into a temporary venv and, in a
# scratch project that keeps release payloads in git, runs
#   1. `pre-commit try-repo <this repo> cce-release-lint` (built from source) on a passing and a
#      failing payload,
#   2. `pre-commit run` with the configuration the README shows (rev = HEAD,
#      args: [--kind, create-request, --strict]) on a clean payload and a warnings-only one,
#   3. `pre-commit try-repo <this repo> cce-release-lint-system` with the built binary on PATH,
# checking every exit status (0 passes, 1 fails).
#
#   scripts/pre-commit-proof.sh                    # everything
#   SKIP_RUST_HOOK=1 scripts/pre-commit-proof.sh   # only the system hook (no cargo install)
#
# try-repo takes the repository's HEAD plus uncommitted changes, `pre-commit run` takes HEAD.
# try-repo uses a fresh pre-commit store each time, so the rust hook runs `cargo install` every
# time; all runs share one cargo target directory here, so only the first compiles the
# dependencies (minutes on a small machine). Each step prints its time.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"
export CARGO_TARGET_DIR="$work/target"
pre_commit="$work/venv/bin/pre-commit"

step() { printf '\n== %s\n' "$*"; }
elapsed() { printf '   (%ss)\n' "$(( SECONDS - started ))"; }

step "installing pre-commit into $work/venv"
started=$SECONDS
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check pre-commit
"$pre_commit" --version
elapsed

project="$work/project"
mkdir -p "$project/releases"
cp "$repo/tests/fixtures/cli/valid.json" "$project/releases/koi-neo4j.json"
cp "$repo/tests/fixtures/cli/invalid.json" "$project/releases/broken.json"
cp "$repo/tests/fixtures/cli/warnings-only.json" "$project/releases/misspelt.json"
git() { command git -C "$project" -c user.name=proof -c user.email=proof@example.invalid "$@"; }
git init --quiet
git add .
git commit --quiet -m payloads

failures=0
# expect STATUS DESCRIPTION COMMAND...: runs COMMAND in the project and checks its exit status.
expect() {
    local want=$1 what=$2
    shift 2
    step "$what (expect exit $want)"
    started=$SECONDS
    local got=0
    (cd "$project" && "$@") || got=$?
    elapsed
    if [ "$got" -eq "$want" ]; then
        echo "   ok: exit $got"
    else
        echo "   FAILED: exit $got, expected $want"
        failures=$((failures + 1))
    fi
}

if [ "${SKIP_RUST_HOOK:-}" != 1 ]; then
    expect 0 "try-repo cce-release-lint, passing payload" \
        "$pre_commit" try-repo "$repo" cce-release-lint --files releases/koi-neo4j.json
    expect 1 "try-repo cce-release-lint, failing payload" \
        "$pre_commit" try-repo "$repo" cce-release-lint --files releases/broken.json

    cat > "$project/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $repo
    rev: $(command git -C "$repo" rev-parse HEAD)
    hooks:
      - id: cce-release-lint
        files: ^releases/
        args: [--kind, create-request, --strict]
YAML
    git add .pre-commit-config.yaml
    expect 0 "pre-commit run (README configuration), clean payload" \
        "$pre_commit" run --files releases/koi-neo4j.json
    expect 1 "pre-commit run (README configuration, --strict), payload with only warnings" \
        "$pre_commit" run --files releases/misspelt.json
fi

if [ ! -x "$CARGO_TARGET_DIR/release/cce-release-lint" ]; then
    step "building the linter for the system hook"
    started=$SECONDS
    cargo build --release --quiet --manifest-path "$repo/Cargo.toml" --bin cce-release-lint
    elapsed
fi
export PATH="$CARGO_TARGET_DIR/release:$PATH"
expect 0 "try-repo cce-release-lint-system, passing payload" \
    "$pre_commit" try-repo "$repo" cce-release-lint-system --files releases/koi-neo4j.json
expect 1 "try-repo cce-release-lint-system, failing payload" \
    "$pre_commit" try-repo "$repo" cce-release-lint-system --files releases/broken.json

if [ "$failures" -ne 0 ]; then
    step "$failures check(s) failed"
    exit 1
fi
step "pre-commit proof passed"
