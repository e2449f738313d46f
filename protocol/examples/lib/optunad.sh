# shellcheck shell=bash
# A minimal optunad client for bash scripts: one connection kept open as a coprocess, answers read with
# jq. Needs bash >= 4, jq, and socat (or an `nc` with -U).
#
#   source protocol/examples/lib/optunad.sh
#   optunad_connect                                  # $1, else $OPTUNAD_SOCKET, else the daemon's default
#   result=$(optunad_call ask '{"study_name":"demo"}') || exit 1
#   optunad_send "$line"; line=$(optunad_receive)    # raw lines, e.g. to pipeline many requests
#   optunad_close
#
# optunad_call prints the result as compact JSON; on an error answer it prints "optunad: KIND: MESSAGE"
# on stderr and returns 1 (2 when the connection is lost). The connection stays open between calls, so
# requests are answered in order; matching answers to requests by position is enough.

optunad_socket() {
    if [[ -n ${OPTUNAD_SOCKET:-} ]]; then
        printf '%s\n' "$OPTUNAD_SOCKET"
    elif [[ -n ${RUNTIME_DIRECTORY:-} ]]; then
        printf '%s/optunad.sock\n' "${RUNTIME_DIRECTORY%%:*}"
    elif [[ $(id -u) == 0 ]]; then
        printf '/run/optunad/optunad.sock\n'
    elif [[ -n ${XDG_RUNTIME_DIR:-} ]]; then
        printf '%s/optunad/optunad.sock\n' "$XDG_RUNTIME_DIR"
    else
        printf '/tmp/optunad-%s/optunad.sock\n' "$(id -u)"
    fi
}

optunad_connect() {
    local socket=${1:-$(optunad_socket)}
    if [[ ! -S $socket ]]; then
        printf 'optunad: no socket at %s (is optunad running? set OPTUNAD_SOCKET)\n' "$socket" >&2
        return 2
    fi
    if command -v socat >/dev/null; then
        coproc OPTUNAD_CONN { exec socat - "UNIX-CONNECT:$socket"; }
    else
        coproc OPTUNAD_CONN { exec nc -U "$socket"; }
    fi
    # Copies of the coprocess's pipes on ordinary descriptors: bash does not pass a coprocess's own
    # descriptors into $(...) subshells, and these it does.
    exec {OPTUNAD_IN}<&"${OPTUNAD_CONN[0]}" {OPTUNAD_OUT}>&"${OPTUNAD_CONN[1]}"
    OPTUNAD_NEXT_ID=1
}

# Writes request lines (JSON, one per line) without waiting for their answers.
optunad_send() {
    printf '%s\n' "$1" >&"$OPTUNAD_OUT"
}

# Reads one answer line and prints it.
optunad_receive() {
    local line
    if ! IFS= read -r line <&"$OPTUNAD_IN"; then
        printf 'optunad: the connection was closed\n' >&2
        return 2
    fi
    printf '%s\n' "$line"
}

# optunad_result ANSWER_LINE [JQ_FILTER]: prints the filter (default: the compact result) applied to
# .result, or reports .error on stderr and returns 1. One jq process either way.
optunad_result() {
    jq -rn --argjson answer "$1" '
        if $answer | has("error") then
            $answer.error | "optunad: \(.data.kind // .code): \(.message)\n" | halt_error(1)
        else $answer.result end | '"${2:-tojson}"
}

# optunad_call METHOD [PARAMS_JSON [JQ_FILTER]]: one request, one answer.
optunad_call() {
    local id=$OPTUNAD_NEXT_ID answer
    OPTUNAD_NEXT_ID=$((id + 1))
    # The method is a bare name and the params are JSON already, so printf builds the line.
    optunad_send "$(printf '{"jsonrpc":"2.0","id":%d,"method":"%s","params":%s}' "$id" "$1" "${2:-"{}"}")" || return 2
    answer=$(optunad_receive) || return 2
    optunad_result "$answer" "${3:-tojson}"
}

optunad_close() {
    if [[ -n ${OPTUNAD_OUT:-} ]]; then
        exec {OPTUNAD_OUT}>&- {OPTUNAD_IN}<&-
        OPTUNAD_OUT=""
        exec {OPTUNAD_CONN[1]}>&- 2>/dev/null || true
        wait "${OPTUNAD_CONN_PID:-}" 2>/dev/null || true
    fi
}
