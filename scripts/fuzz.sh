#!/usr/bin/env bash
# Coverage-guided fuzzing of the validator and the renderers with cargo-fuzz (libFuzzer), seeded
# from the test fixtures. Usage: bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Default: 600 seconds for each target: one per kind (create_request, create_response,
# update_request, release_list, delete_response, error_body), chart_values_schema, http_request,
# render_formats (every output format over arbitrary findings and source text).
# Needs cargo-fuzz (`cargo install cargo-fuzz`); on a stable toolchain it runs with
# RUSTC_BOOTSTRAP=1, since libFuzzer's instrumentation flags are nightly-only.
# A crash leaves its input under fuzz/artifacts/TARGET/; turn each into a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(kinds chart_values_schema http_request render_formats)
command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz is not installed: cargo install cargo-fuzz" >&2; exit 2; }
export RUSTC_BOOTSTRAP=1

for target in "${targets[@]}"; do
    corpus="fuzz/corpus/$target"
    mkdir -p "$corpus"
    case "$target" in
        chart_values_schema) cp -n tests/fixtures/charts/*.json schemas/*.schema.json "$corpus"/ 2>/dev/null || true ;;
        http_request) printf 'POST\n/autopilot/cam/v3/clusters/7378a198-a3fe-11eb-ad37-0255ac100b07/releases\nContent-Type: application/json|X-Auth-Token: abcdefghijklmnop\n' > "$corpus/seed-create"
            cat examples/create-release.json >> "$corpus/seed-create"
            printf 'GET\n/cce/cam/v3/clusters/{cluster_id}/namespace/default/releases/koi?show_resources=true\nAuthorization: SDK-HMAC-SHA256 Access=a, SignedHeaders=b, Signature=c|X-Sdk-Date: 20240101T000000Z\n' > "$corpus/seed-show" ;;
        render_formats) for f in tests/fixtures/invalid/*.json tests/fixtures/cli/*.json; do
                # A made-up finding count, a file name, a zero byte, the payload.
                { printf '\x05%s\0' "$(basename "$f")"; cat "$f"; } > "$corpus/seed-$(basename "$f")"
            done ;;
        # Each fixture once per kind: the first byte picks the kind.
        kinds) for f in tests/fixtures/valid/*.json tests/fixtures/invalid/*.json examples/*.json; do
                for k in 0 1 2 3 4 5 6; do
                    seed="$corpus/k$k-$(basename "$f")"
                    [ -e "$seed" ] || { printf "\\x0$k" > "$seed"; cat "$f" >> "$seed"; }
                done
            done ;;
        *) cp -n tests/fixtures/valid/*.json tests/fixtures/invalid/*.json examples/*.json "$corpus"/ 2>/dev/null || true ;;
    esac
    echo "--- fuzzing $target for ${seconds}s"
    cargo fuzz run -O "$target" "$corpus" -- \
        -dict=fuzz/json.dict -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
        -timeout=10 -print_final_stats=1 2>&1 | tee "fuzz/$target.log" | grep -E "^(#[0-9]+ +DONE|stat::|==[0-9]+== ERROR|SUMMARY)" || true
done
