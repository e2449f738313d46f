#!/usr/bin/env bash
# A pipelined session over the raw protocol: create a study, send N asks in one write, compute each
# objective, send the N tells in one write, then read the best trial. One connection; the daemon answers
# in request order, so answers are matched to requests by position (the ids are there to check it).
#
#   OPTUNAD_SOCKET=/run/optunad/optunad.sock ./pipelined-session.sh [STUDY] [N]
#
# Needs bash, jq and socat (or nc -U).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib/optunad.sh"

study=${1:-pipelined-$(date +%s)-$$}
n=${2:-20}

optunad_connect
trap optunad_close EXIT

optunad_call create_study "$(jq -cn --arg s "$study" '{study_name: $s, sampler: {type: "random", seed: 1}}')" >/dev/null

# N asks (ids 100, 101, ...) in one write ...
optunad_send "$(jq -cn --arg s "$study" --argjson n "$n" '
    range($n) | {jsonrpc: "2.0", id: (100 + .), method: "ask", params: {study_name: $s, search_space: {
        x: {type: "float", low: -10, high: 10}, layers: {type: "int", low: 1, high: 8}}}}')"

# ... their N answers, in order ...
answers=""
for _ in $(seq "$n"); do answers+=$(optunad_receive)$'\n'; done

# ... one tell per answer, computed and written in one go (ids 200, 201, ...).
# The objective: (x - 2)^2 + (layers - 3)^2.
tells=$(jq -c -s '
    if any(.[]; has("error")) then (map(select(has("error")))[0].error.message + "\n" | halt_error(1)) else . end
    | to_entries[] | .key as $i | .value
    | if .id != 100 + $i then ("answer out of order\n" | halt_error(1)) else .result end
    | {jsonrpc: "2.0", id: (200 + $i), method: "tell", params: {trial_id: .trial_id,
       value: (.params | (.x - 2) * (.x - 2) + (.layers - 3) * (.layers - 3))}}' <<<"$answers")
optunad_send "$tells"
answers=""
for _ in $(seq "$n"); do answers+=$(optunad_receive)$'\n'; done
complete=$(jq -s '[.[] | select(.result.state == "COMPLETE")] | length' <<<"$answers")

printf 'study %s: %d trials told in 2 round trips, %d COMPLETE\n' "$study" "$n" "$complete"
optunad_call best_trial "$(jq -cn --arg s "$study" '{study_name: $s}')" \
    '"best: trial \(.number) value \(.value) params \(.params | tojson)"'
