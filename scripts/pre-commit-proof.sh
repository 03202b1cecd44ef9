#!/usr/bin/env bash
# Proves the pre-commit packaging: installs pre-commit from PyPI into a temporary venv and runs
# `pre-commit try-repo` against this repository on a passing and a failing payload, for the hook
# that builds from source (cce-release-lint) and the one that uses an installed binary
# (cce-release-lint-system), checking the exit statuses.
#
#   scripts/pre-commit-proof.sh            # both hooks
#   SKIP_RUST_HOOK=1 scripts/pre-commit-proof.sh   # only the system hook (no cargo install)
#
# try-repo uses the repository's HEAD plus uncommitted changes. The rust hook compiles the crate
# with `cargo install`, which takes minutes on a small machine; the script prints each step's time.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"

step() { printf '\n== %s\n' "$*"; }
elapsed() { printf '   (%ss)\n' "$(( SECONDS - started ))"; }

step "installing pre-commit into $work/venv"
started=$SECONDS
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check pre-commit
"$work/venv/bin/pre-commit" --version
elapsed

# A project that keeps release payloads in git, as an adopter's would.
project="$work/project"
mkdir -p "$project/releases"
cp "$repo/tests/fixtures/cli/valid.json" "$project/releases/koi-neo4j.json"
cp "$repo/tests/fixtures/cli/invalid.json" "$project/releases/broken.json"
git -C "$project" init --quiet
git -C "$project" -c user.name=proof -c user.email=proof@example.invalid add .
git -C "$project" -c user.name=proof -c user.email=proof@example.invalid commit --quiet -m payloads

failures=0
# expect STATUS HOOK FILE [ARGS...]: runs try-repo and checks its exit status.
expect() {
    local want=$1 hook=$2 file=$3
    shift 3
    step "try-repo $hook on $file (expect exit $want)"
    started=$SECONDS
    local got=0
    (cd "$project" && "$work/venv/bin/pre-commit" try-repo "$repo" "$hook" --files "$file" "$@") || got=$?
    elapsed
    if [ "$got" -eq "$want" ]; then
        echo "   ok: exit $got"
    else
        echo "   FAILED: exit $got, expected $want"
        failures=$((failures + 1))
    fi
}

if [ "${SKIP_RUST_HOOK:-}" != 1 ]; then
    # The first run builds the linter (cargo install) into pre-commit's cache.
    expect 0 cce-release-lint releases/koi-neo4j.json
    expect 1 cce-release-lint releases/broken.json
fi

step "building the linter for the system hook"
started=$SECONDS
cargo build --release --quiet --manifest-path "$repo/Cargo.toml" --bin cce-release-lint
elapsed
bin="${CARGO_TARGET_DIR:-$repo/target}/release"
PATH="$bin:$PATH" expect 0 cce-release-lint-system releases/koi-neo4j.json
PATH="$bin:$PATH" expect 1 cce-release-lint-system releases/broken.json

if [ "$failures" -ne 0 ]; then
    step "$failures check(s) failed"
    exit 1
fi
step "pre-commit proof passed"
