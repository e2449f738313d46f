#!/usr/bin/env bash
# Builds the decoder fuzzer (fuzz/DecoderFuzzer.swift compiled with OptunaCore's sources into one module, with
# libFuzzer and AddressSanitizer) and runs it for SECONDS (default 60), seeded with every request line of the golden
# transcripts. Exits non-zero on a crash, a trap or a sanitizer report.
#
# Usage: fuzz/run.sh [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-60}
out=$root/.build-fuzz
mkdir -p "$out"
mapfile -t sources < <(find "$root/Sources/OptunaCore" -name '*.swift' | sort)
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name OptunaCore -swift-version 6 \
    -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility \
    -enable-upcoming-feature InternalImportsByDefault \
    "${sources[@]}" "$root/fuzz/DecoderFuzzer.swift" -o "$out/decoder-fuzzer" 2>&1 \
    | { grep -v "Cannot export local symbol" || true; }
corpus=$(mktemp -d)
i=0
for f in "$root"/Tests/OptunaServerTests/Fixtures/*.jsonl; do
    while IFS= read -r line; do
        [[ $line == '> '* ]] || continue
        printf '%s' "${line#> }" >"$corpus/seed-$i"
        i=$((i + 1))
    done <"$f"
done
"$out/decoder-fuzzer" -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 "$corpus" 2>&1 | tail -n 12
status=${PIPESTATUS[0]}
rm -rf "$corpus"
exit "$status"
