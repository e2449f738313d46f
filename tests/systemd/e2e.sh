#!/usr/bin/env bash
# End to end under a real systemd: boots the host's own /usr with systemd as PID 1 in a throwaway container
# (systemd-nspawn -D / --volatile=yes: / and /etc are a fresh tmpfs, nothing on the host changes), installs the
# SHIPPED optunad.socket, optunad.service and optunad.sysusers (only ExecStart= is rewritten, to the built binary),
# and checks what static checks cannot:
#
#   - socket activation: `systemctl start optunad.socket`, and a client's first request starts the service and is
#     answered; the socket is 0660 optunad:optunad, group members may connect and others may not;
#   - Type=notify: the service is active (running) only after optunad's READY=1, and shows our StatusText;
#   - it runs as the unprivileged user optunad; its state directory is writable and the rest is read-only;
#   - `journalctl -o json _SYSTEMD_UNIT=optunad.service` has the structured fields (OPTUNAD_STUDY=…);
#   - `systemctl reload` (SIGHUP) applies a new log level; `systemctl stop` ends with Result=success;
#   - a SIGSTOPped daemon is restarted by the watchdog (WatchdogSec= shortened by a runtime drop-in).
#
# Usage: tests/systemd/e2e.sh    (root; systemd-container installed)
#   OPTUNAD_BIN   the optunad binary to test (default .build/debug/optunad)
#   SWIFT_RUNTIME directory bound read-only into the container for the Swift runtime libraries the binary links
#                 (default /opt/swift; unused for a binary built with --static-swift-stdlib)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
OPTUNAD_BIN=${OPTUNAD_BIN:-$repo/.build/debug/optunad}
SWIFT_RUNTIME=${SWIFT_RUNTIME:-/opt/swift}
started_at=$EPOCHREALTIME

step() { printf '[e2e %5.1fs] %s\n' "$(awk -v a="$started_at" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')" "$*"; }
fail() {
    echo "e2e: FAIL: $*" >&2
    if [[ -n "${cpid:-}" ]]; then
        echo "---- systemctl status optunad.service optunad.socket" >&2
        inside systemctl --no-pager status optunad.service optunad.socket >&2 || true
        echo "---- journal" >&2
        inside journalctl --no-pager -n 60 >&2 || true
    fi
    exit 1
}

[[ $(id -u) == 0 ]] || { echo "e2e: needs root (systemd-nspawn)" >&2; exit 1; }
command -v systemd-nspawn >/dev/null || { echo "e2e: install systemd-container" >&2; exit 1; }
[[ -x "$OPTUNAD_BIN" ]] || { echo "e2e: no optunad binary at $OPTUNAD_BIN" >&2; exit 1; }

stage=$(mktemp -d /tmp/optunad-e2e.XXXXXX)
machine="optunad-e2e-$$"
nspawn=""
cpid=""
cleanup() {
    if [[ -n "$cpid" ]]; then inside systemctl poweroff --no-block >/dev/null 2>&1 || true; fi
    if [[ -n "$nspawn" ]]; then
        for _ in $(seq 100); do kill -0 "$nspawn" 2>/dev/null || break; sleep 0.1; done
        kill "$nspawn" 2>/dev/null || true
        wait "$nspawn" 2>/dev/null || true
    fi
    rm -rf "$stage"
}
trap cleanup EXIT

# The shipped files; the unit copies differ from systemd/ in ExecStart= only, which the diff proves.
mkdir -p "$stage/units" "$stage/bin"
sed 's|^ExecStart=/usr/bin/optunad$|ExecStart=/opt/optunad/optunad|' "$repo/systemd/optunad.service" \
    >"$stage/units/optunad.service"
cp "$repo/systemd/optunad.socket" "$stage/units/optunad.socket"
changed=$(diff "$repo/systemd/optunad.service" "$stage/units/optunad.service" | grep -c '^[<>]' || true)
[[ $changed == 2 ]] || fail "rewriting ExecStart= changed $changed lines of optunad.service"
cp "$OPTUNAD_BIN" "$stage/bin/optunad"
cp "$here/rpc.py" "$stage/bin/rpc.py"

runtime_bind=()
[[ -d "$SWIFT_RUNTIME" ]] && runtime_bind=(--bind-ro="$SWIFT_RUNTIME")
step "booting systemd in container $machine"
systemd-nspawn -D / --volatile=yes --register=no --keep-unit --private-network --console=pipe -M "$machine" \
    "${runtime_bind[@]}" --bind-ro="$stage/bin:/opt/optunad" --bind-ro="$stage/units:/etc/systemd/system" \
    --bind-ro="$repo/systemd/optunad.sysusers:/etc/sysusers.d/optunad.conf" \
    -b systemd.mask=systemd-firstboot.service >"$stage/console.log" 2>&1 </dev/null &
nspawn=$!

for _ in $(seq 200); do
    cpid=$(pgrep -P "$nspawn" -x systemd || true)
    [[ -n "$cpid" ]] && break
    kill -0 "$nspawn" 2>/dev/null || { cat "$stage/console.log" >&2; fail "systemd-nspawn exited"; }
    sleep 0.05
done
[[ -n "$cpid" ]] || fail "no systemd in the container"
inside() { nsenter -t "$cpid" -a "$@"; }
# The manager's bus comes up a moment after PID 1 starts.
state=""
for _ in $(seq 300); do
    state=$(inside systemctl is-system-running --wait 2>/dev/null || true)
    [[ -n "$state" ]] && break
    sleep 0.1
done
step "system is $state"
[[ $state == running || $state == degraded ]] || fail "the container did not boot: $state"

show() { inside systemctl show optunad.service -P "$1"; }
rpc() { inside /usr/bin/python3 /opt/optunad/rpc.py /run/optunad/optunad.sock "$@"; }
# Runs a command inside the container as nobody, with or without the group optunad.
as_nobody() {
    local groups=$1
    shift
    inside setpriv --reuid=65534 --regid=65534 --groups="$groups" /usr/bin/python3 /opt/optunad/rpc.py \
        /run/optunad/optunad.sock "$@"
}
journal_json() { inside journalctl --no-pager -o json "$@"; }

# 1. Socket activation: the socket exists before the daemon runs, and the first request starts it.
inside systemctl start optunad.socket
[[ $(show ActiveState) == inactive ]] || fail "optunad.service runs before anyone connected"
perms=$(inside stat -c '%a %U %G' /run/optunad/optunad.sock)
[[ $perms == "660 optunad optunad" ]] || fail "socket is $perms, not 660 optunad optunad"
optunad_gid=$(inside getent group optunad | cut -d: -f3)
step "socket listening ($perms); first request through socket activation"
hello=$(as_nobody "$optunad_gid" hello) || fail "a member of group optunad was not served"
grep -q '"protocol": 1' <<<"$hello" || fail "unexpected hello: $hello"
if as_nobody 65534 hello >/dev/null 2>&1; then fail "a user outside group optunad could connect"; fi
step "served through activation; non-members refused"

# 2. Type=notify: active (running) only after READY=1, with our status line.
[[ $(show ActiveState)/$(show SubState) == active/running ]] || fail "service is $(show ActiveState)/$(show SubState)"
status_text=$(show StatusText)
[[ $status_text == "ready: socket passed by systemd"* ]] || fail "StatusText is '$status_text'"
main_pid=$(show MainPID)
[[ $(show Type)/$(show NotifyAccess) == notify/main ]] || fail "the unit is Type=$(show Type)"
step "active (running), Type=notify; StatusText: $status_text"

# 3. The unprivileged user.
optunad_uid=$(inside getent passwd optunad | cut -d: -f3)
# (awk is an /etc/alternatives link, absent from the container's fresh /etc.)
uids=$(inside grep '^Uid:' "/proc/$main_pid/status" | tr -s '[:space:]' ' ' | cut -d' ' -f2-5)
[[ $uids == "$optunad_uid $optunad_uid $optunad_uid $optunad_uid" ]] || fail "optunad runs with uids $uids"
[[ $optunad_uid != 0 ]] || fail "user optunad is root"
step "runs as optunad (uid $optunad_uid)"
if inside journalctl --no-pager -u optunad.service | grep -q "busy polling off"; then
    fail "the hardened unit keeps the event loops from finding their epoll instance (busy polling off)"
fi
step "busy polling on under the hardened unit"

# 4. A trial through the daemon, and its journal entries.
as_nobody "$optunad_gid" create_study '{"study_name": "e2e"}' >/dev/null || fail "create_study"
trial=$(as_nobody "$optunad_gid" ask '{"study_name": "e2e", "search_space": {"x": {"type": "float", "low": 0, "high": 1}}}') ||
    fail "ask"
trial_id=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["trial_id"])' "$trial")
as_nobody "$optunad_gid" tell "{\"trial_id\": $trial_id, \"value\": 0.5}" >/dev/null || fail "tell"
fields=""
for _ in $(seq 50); do
    fields=$(journal_json _SYSTEMD_UNIT=optunad.service OPTUNAD_STUDY=e2e OPTUNAD_METHOD=tell | python3 -c '
import json, sys
for line in sys.stdin:
    e = json.loads(line)
    print(e["MESSAGE"], e["OPTUNAD_TRIAL"], e["OPTUNAD_TRIAL_NUMBER"], e["OPTUNAD_CLIENT_UID"], e["PRIORITY"],
          e["CODE_FILE"].rsplit("/", 1)[-1], e["_PID"])')
    [[ -n "$fields" ]] && break
    sleep 0.1
done
expected="trial 0 of study e2e finished: COMPLETE with values [0.5] $trial_id 0 65534 6 Dispatcher+Lifecycle.swift $main_pid"
[[ $fields == "$expected" ]] || fail "journal fields: '$fields', expected '$expected'"
step "journal: OPTUNAD_STUDY, OPTUNAD_TRIAL, OPTUNAD_CLIENT_UID, PRIORITY, CODE_FILE present"

# 5. File system: the database is in the writable state directory; the rest is read-only or hidden.
db_owner=$(inside stat -c '%U %a' /var/lib/optunad/optunad.db)
[[ $db_owner == optunad* ]] || fail "database owned by $db_owner"
in_service() { inside nsenter -t "$main_pid" -m "$@"; }
in_service setpriv --reuid="$optunad_uid" --regid="$optunad_uid" --init-groups \
    sh -c 'touch /var/lib/optunad/e2e-probe && rm /var/lib/optunad/e2e-probe' || fail "state directory not writable"
for path in /etc/e2e-probe /usr/e2e-probe /opt/e2e-probe /var/e2e-probe; do
    if in_service touch "$path" 2>/dev/null; then fail "$path is writable inside the service's sandbox"; fi
done
if in_service ls /root 2>/dev/null | grep -q .; then fail "/root is visible inside the sandbox"; fi
inside touch /tmp/e2e-host-tmp
if in_service test -e /tmp/e2e-host-tmp; then fail "/tmp is not private"; fi
step "state directory writable; /etc /usr /opt /var read-only; /root hidden; /tmp private"

# 6. The status line follows the work (refreshed every 5 s).
for _ in $(seq 100); do
    status_text=$(show StatusText)
    [[ $status_text == "1 study open, 0 trials running, "* ]] && break
    sleep 0.1
done
[[ $status_text == "1 study open, 0 trials running, 1 finished ("*"/s), 4 requests served ("*"/s), "* ]] ||
    fail "StatusText is '$status_text'"
step "StatusText: $status_text"

# 7. Reload: SIGHUP re-reads /etc/optunad/optunad.conf; the new log level is in effect in the same process.
inside mkdir -p /etc/optunad
inside sh -c 'printf "# written by e2e.sh\nlog-level = debug\n" >/etc/optunad/optunad.conf'
inside systemctl reload optunad.service || fail "systemctl reload failed"
[[ $(show MainPID) == "$main_pid" ]] || fail "reload restarted the daemon"
rpc get_all_studies >/dev/null || fail "get_all_studies after reload"
debug=""
for _ in $(seq 50); do
    debug=$(journal_json _SYSTEMD_UNIT=optunad.service OPTUNAD_METHOD=get_all_studies PRIORITY=7 | head -1)
    [[ -n "$debug" ]] && break
    sleep 0.1
done
[[ -n "$debug" ]] || fail "no debug entry after the reload to log-level = debug"
[[ $(show ActiveState)/$(show SubState) == active/running ]] || fail "after reload: $(show ActiveState)"
step "reload: log level debug in effect, same pid $main_pid"

# 8. The watchdog: a healthy daemon keeps petting, a SIGSTOPped one is killed and restarted.
inside mkdir -p /run/systemd/system/optunad.service.d
inside sh -c 'printf "[Service]\nWatchdogSec=2\n" >/run/systemd/system/optunad.service.d/e2e-watchdog.conf'
inside systemctl daemon-reload
inside systemctl restart optunad.service
first_pid=$(show MainPID)
sleep 3
[[ $(show MainPID) == "$first_pid" && $(show NRestarts) == 0 ]] || fail "a healthy daemon was restarted by the watchdog"
step "watchdog 2 s: healthy daemon kept for 3 s; SIGSTOP pid $first_pid"
inside kill -STOP "$first_pid"
stopped_at=$EPOCHREALTIME
restarted=""
for _ in $(seq 300); do
    pid=$(show MainPID)
    if [[ $pid != 0 && $pid != "$first_pid" && $(show SubState) == running ]]; then restarted=$pid; break; fi
    sleep 0.1
done
[[ -n "$restarted" ]] || fail "the stopped daemon was not restarted"
inside journalctl --no-pager -u optunad.service | grep -q "Watchdog timeout" || fail "no watchdog timeout in the journal"
rpc hello >/dev/null || fail "the restarted daemon does not answer"
took=$(awk -v a="$stopped_at" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
step "watchdog restarted it in ${took}s (WatchdogSec=2, RestartSec=2): pid $first_pid -> $restarted"
inside rm /run/systemd/system/optunad.service.d/e2e-watchdog.conf
inside systemctl daemon-reload

# 9. Stop: STOPPING=1, a clean exit, Result=success; the socket stays with the socket unit.
inside systemctl stop optunad.service
[[ $(show Result) == success ]] || fail "Result=$(show Result) after systemctl stop"
[[ $(show ExecMainStatus) == 0 ]] || fail "exit status $(show ExecMainStatus)"
inside test -S /run/optunad/optunad.sock || fail "stopping the service removed the socket"
step "stop: Result=success, exit status 0, socket kept"

# 10. Readiness waits for the storage: while another process holds the database locked, optunad cannot open it,
#     sends no READY=1, and systemd keeps the service "activating"; it becomes active once the lock is gone.
inside sh -c 'printf "[Service]\nEnvironment=OPTUNAD_STORAGE=sqlite:////var/lib/optunad/locked.db\n" \
    >/run/systemd/system/optunad.service.d/e2e-storage.conf'
inside systemctl daemon-reload
inside setpriv --reuid="$optunad_uid" --regid="$optunad_uid" --init-groups /usr/bin/python3 -c '
import sqlite3, time
connection = sqlite3.connect("/var/lib/optunad/locked.db", isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
open("/var/lib/optunad/locked.db.held", "w").close()
time.sleep(3)
connection.execute("COMMIT")' &
holder=$!
for _ in $(seq 100); do inside test -e /var/lib/optunad/locked.db.held && break; sleep 0.05; done
inside systemctl start --no-block optunad.service
sleep 1.5
[[ $(show ActiveState) == activating ]] || fail "with the database locked the service is $(show ActiveState), not activating"
wait "$holder"
for _ in $(seq 100); do [[ $(show ActiveState) == active ]] && break; sleep 0.05; done
[[ $(show ActiveState)/$(show SubState) == active/running ]] || fail "after the lock: $(show ActiveState)/$(show SubState)"
[[ $(show StatusText) == *"locked.db" ]] || fail "StatusText is '$(show StatusText)'"
step "activating while the storage was locked, active after READY=1"
inside rm /run/systemd/system/optunad.service.d/e2e-storage.conf /var/lib/optunad/locked.db.held
inside systemctl daemon-reload
inside systemctl stop optunad.service

# 11. For the record: the online exposure score and any libdispatch priority warnings.
score=$(inside systemd-analyze security optunad.service 2>/dev/null | sed -n 's/.*Overall exposure level for optunad.service: //p')
warnings=$(inside journalctl --no-pager -u optunad.service | grep -c "Failed to set thread priority" || true)
step "online security exposure: $score; libdispatch priority warnings: $warnings"
step "PASS"
