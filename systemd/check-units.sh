#!/usr/bin/env bash
# Static checks of the shipped systemd files; exits non-zero on the first problem.
#
#  1. `systemd-analyze verify` on the system and user units. It exits 0 even when it warns (an unknown key, a typo
#     in a section name), so any output at all counts as a failure. It also insists that the ExecStart= binary
#     exists, and /usr/bin/optunad is not installed where this runs, so it checks copies of the units in a temporary
#     directory whose ExecStart= is rewritten to /bin/true; nothing else in the copies differs from what ships.
#  2. `systemd-analyze security --offline=true` on the shipped system service, failing above an exposure of 2.0
#     ("OK"; --threshold counts in tenths), and printing the score. The user units' score is printed for reference
#     only: a user manager cannot use the namespace-based options without unprivileged user namespaces.
#  3. `systemd-sysusers` applies optunad.sysusers to an empty root and the user and group must appear.
#
# Usage: systemd/check-units.sh   (needs systemd-analyze and systemd-sysusers, i.e. the systemd package)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

fail() {
    echo "check-units: $*" >&2
    exit 1
}

# Copies the units of one instance into $scratch/<instance> with ExecStart= pointing at /bin/true.
copy_units() {
    local from=$1 instance=$2
    mkdir -p "$scratch/$instance"
    for unit in optunad.service optunad.socket; do
        sed 's|^ExecStart=/usr/bin/optunad|ExecStart=/bin/true|' "$from/$unit" >"$scratch/$instance/$unit"
    done
}

# Runs `systemd-analyze verify` with the given leading options in $scratch/<instance>; any output fails.
verify() {
    local instance=$1
    shift
    local output
    output=$(cd "$scratch/$instance" && "$@" verify --man=no optunad.socket optunad.service 2>&1) ||
        fail "systemd-analyze verify ($instance units) failed:"$'\n'"$output"
    [[ -z "$output" ]] || fail "systemd-analyze verify ($instance units) printed warnings:"$'\n'"$output"
    echo "verify $instance units: clean"
}

copy_units "$here" system
copy_units "$here/user" user
verify system systemd-analyze
# A user manager needs a runtime directory to resolve %t; an empty one will do.
mkdir -p "$scratch/runtime"
verify user env XDG_RUNTIME_DIR="$scratch/runtime" systemd-analyze --user

security=$(systemd-analyze security --offline=true --threshold=20 "$here/optunad.service" 2>&1) ||
    fail "optunad.service exposure is above 2.0:"$'\n'"$(grep -E '✗|Overall' <<<"$security")"
echo "security of optunad.service (system): exposure $(sed -n 's/.*Overall exposure level for optunad.service: //p' <<<"$security")"
user_security=$(cd "$here/user" &&
    XDG_RUNTIME_DIR="$scratch/runtime" systemd-analyze --user security --offline=true optunad.service 2>&1) || true
echo "security of optunad.service (user, for reference): exposure" \
    "$(sed -n 's/.*Overall exposure level for optunad.service: //p' <<<"$user_security")"

mkdir -p "$scratch/root/etc"
systemd-sysusers --root="$scratch/root" "$here/optunad.sysusers" >/dev/null 2>&1 ||
    fail "systemd-sysusers rejected optunad.sysusers"
grep -q '^optunad:' "$scratch/root/etc/passwd" || fail "optunad.sysusers creates no user optunad"
grep -q '^optunad:' "$scratch/root/etc/group" || fail "optunad.sysusers creates no group optunad"
echo "sysusers: user and group optunad"
