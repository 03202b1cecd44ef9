#!/usr/bin/env bash
# Proves the pre-commit packaging on the sample repository (tests/sample-repo: payloads of every
# kind in JSON and YAML, its cce-release.toml lints releases/ and maps a folder to a chart's
# values schema; package.json, a workflow and a draft are left out by the configuration):
#   1. `pre-commit run` with exactly the configuration the README shows (the rust hook, rev = this
#      repository's HEAD commit, no args), in a fresh pre-commit cache: on every file (the sample
#      has payloads with errors: exit 1), on the clean payloads and the files the configuration
#      leaves out (exit 0), on one failing payload (exit 1); the first run's time and the size of
#      the cache it leaves are printed, as the README quotes them;
#   2. `pre-commit try-repo <this repo> cce-release-lint-system` with the linter the first step
#      installed on PATH: every file (exit 1), the clean ones (exit 0).
#
#   scripts/pre-commit-proof.sh                    # everything
#   SKIP_RUST_HOOK=1 scripts/pre-commit-proof.sh   # only the system hook (builds the linter)
#
# `pre-commit run` takes HEAD (commit first), try-repo HEAD plus uncommitted changes.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"
unset CARGO_TARGET_DIR
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
cp -r "$repo/tests/sample-repo" "$project"
git() { command git -C "$project" -c user.name=proof -c user.email=proof@example.invalid "$@"; }
git init --quiet
git add -A
git commit --quiet -m payloads

clean=(releases/koi/install.yaml releases/koi/upgrade.json releases/web/create.json
       releases/web/stages.yaml releases/answers/show.json releases/answers/error-classic.yml
       package.json .github/workflows/lint.yml releases/drafts/half-written.json)

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
    # The README's snippet, with this repository and its HEAD commit.
    cat > "$project/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $repo
    rev: $(command git -C "$repo" rev-parse HEAD)
    hooks:
      - id: cce-release-lint
YAML
    git add .pre-commit-config.yaml
    git commit --quiet -m hooks
    expect 1 "pre-commit run --all-files (first run: builds the rust hook)" \
        "$pre_commit" run --all-files
    echo "   pre-commit cache after the first run: $(du -sh "$PRE_COMMIT_HOME" | cut -f1)"
    expect 0 "pre-commit run on the clean payloads and the files the configuration leaves out" \
        "$pre_commit" run --files "${clean[@]}"
    expect 1 "pre-commit run on a payload with errors" \
        "$pre_commit" run --files releases/web/typo.json
    linter="$(find "$PRE_COMMIT_HOME" -path '*/bin/cce-release-lint' -type f | head -1)"
else
    step "building the linter for the system hook"
    started=$SECONDS
    export CARGO_TARGET_DIR="$work/target"
    cargo build --release --quiet --manifest-path "$repo/Cargo.toml" --bin cce-release-lint
    linter="$CARGO_TARGET_DIR/release/cce-release-lint"
    elapsed
fi

export PATH="$(dirname "$linter"):$PATH"
expect 1 "try-repo cce-release-lint-system, every file" \
    "$pre_commit" try-repo "$repo" cce-release-lint-system --all-files
expect 0 "try-repo cce-release-lint-system, the clean payloads and the files left out" \
    "$pre_commit" try-repo "$repo" cce-release-lint-system --files "${clean[@]}"

if [ "$failures" -ne 0 ]; then
    step "$failures check(s) failed"
    exit 1
fi
step "pre-commit proof passed"
