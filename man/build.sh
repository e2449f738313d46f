#!/usr/bin/env bash
# Builds the man pages: man/NAME.N.scd (scdoc) -> man/NAME.N (roff), next to their sources.
#
# optunad-protocol.7 is made from protocol/README.md, the normative protocol document, inserted into the template
# man/optunad-protocol.7.scd by man/protocol2scd.py. Every page then goes through man/tidy.awk, which drops the
# empty paragraph macros scdoc emits (mandoc -Tlint warns about them; the rendered page does not change).
#
# Usage: man/build.sh   (needs scdoc and python3)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

for source in man/*.scd; do
    page=${source%.scd}
    if [[ $source == man/optunad-protocol.7.scd ]]; then
        python3 man/protocol2scd.py protocol/README.md "$source"
    else
        cat "$source"
    fi | scdoc | awk -f man/tidy.awk >"$page.tmp"
    mv "$page.tmp" "$page"
done
