#!/usr/bin/env bash
# The library alone (`default-features = false`): every target builds without the CLI, and its
# normal dependencies include none of the crates only the linter or the renderers need.
# Exit status 1 names the crates that crept in.
set -euo pipefail
cd "$(dirname "$0")/.."

# Crates of the `cli`, `render` and `chart` features, and crates the library no longer needs at all.
forbidden=(clap clap_builder clap_derive rayon rayon-core walkdir unicode-width
           serde-sarif annotate-snippets anstyle anstream fnv clap_complete clap_mangen
           roff toml toml_parser saphyr-parser arraydeque tar)

cargo check --quiet --no-default-features --all-targets
tree="$(cargo tree --no-default-features -e normal --prefix none)"
found=()
for crate in "${forbidden[@]}"; do
    if grep -q "^${crate} v" <<<"$tree"; then
        found+=("$crate")
    fi
done
count="$(sed 's/ (\*)$//; s/ (proc-macro)$//' <<<"$tree" | sort -u | wc -l)"
if [ ${#found[@]} -gt 0 ]; then
    echo "the library without default features depends on CLI or render crates: ${found[*]}" >&2
    exit 1
fi
echo "the library alone: $count crates (itself included), none of: ${forbidden[*]}"
