#!/usr/bin/env bash
# Builds the man pages and checks them; exits non-zero on the first problem.
#
#  1. `mandoc -Tlint -Wwarning` on every generated page: any warning or error fails (groff would exit 0).
#  2. optunad(8) and optunactl(1) agree with `optunad --help` and `optunactl --help` (and each subcommand's
#     --help): man/check-help.py. The binaries come from OPTUNAD_BIN and OPTUNACTL_BIN, by default
#     .build/debug/optunad and .build/debug/optunactl.
#
# Usage: man/lint.sh   (needs scdoc, mandoc and python3, and the built binaries)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OPTUNAD_BIN=${OPTUNAD_BIN:-.build/debug/optunad}
OPTUNACTL_BIN=${OPTUNACTL_BIN:-.build/debug/optunactl}

man/build.sh
pages=(man/*.[1-8])
mandoc -Tlint -Wwarning "${pages[@]}"
echo "mandoc -Tlint -Wwarning: ${#pages[@]} pages clean"
python3 man/check-help.py "$OPTUNAD_BIN" man/optunad.8.scd
python3 man/check-help.py "$OPTUNACTL_BIN" man/optunactl.1.scd
