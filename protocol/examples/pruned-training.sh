#!/usr/bin/env bash
# A training loop with pruning over the raw protocol: each trial asks for a learning rate, "trains" for
# STEPS epochs (a made-up loss curve whose floor depends on the learning rate), reports the loss after
# each epoch and stops as soon as the pruner says so; then tells COMPLETE with the final loss, or PRUNED.
#
#   OPTUNAD_SOCKET=... ./pruned-training.sh [STUDY] [TRIALS] [STEPS]
#   PRUNER='{"type": "median", "n_startup_trials": 3}' (the default), or any pruner spec or type name
#   the daemon serves (PRUNER=nop, PRUNER='{"type": "percentile", "percentile": 25}').
#
# Needs bash, jq, awk and socat (or nc -U).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib/optunad.sh"

study=${1:-pruned-$(date +%s)-$$}
trials=${2:-15}
steps=${3:-10}
pruner=${PRUNER:-'{"type": "median", "n_startup_trials": 3}'}
[[ $pruner == "{"* ]] || pruner=$(jq -cn --arg t "$pruner" '$t')  # a bare type name is a JSON string

optunad_connect
trap optunad_close EXIT

optunad_call create_study "$(jq -cn --arg s "$study" --argjson p "$pruner" \
    '{study_name: $s, sampler: {type: "random", seed: 7}, pruner: $p}')" >/dev/null
ask=$(jq -cn --arg s "$study" '{study_name: $s, search_space: {lr: {type: "float", low: 1e-4, high: 1, log: true}}}')

# loss(step) = floor + 2 / (step + 1), with the floor lowest at lr = 1e-2.
loss() { awk -v lr="$1" -v s="$2" 'BEGIN { l = log(lr) / log(10) + 2; printf "%.10g\n", l * l + 2 / (s + 1) }'; }

pruned=0
for _ in $(seq "$trials"); do
    read -r id number lr < <(optunad_call ask "$ask" '"\(.trial_id) \(.number) \(.params.lr)"')
    state=COMPLETE
    for step in $(seq 0 $((steps - 1))); do
        value=$(loss "$lr" "$step")
        # The answer is compact JSON with sorted keys (the protocol says so), so a pattern match reads it
        # without starting jq at every step.
        optunad_send "{\"id\":1,\"method\":\"report\",\"params\":{\"trial_id\":$id,\"step\":$step,\"value\":$value}}"
        answer=$(optunad_receive)
        if [[ $answer == *'"error":'* ]]; then optunad_result "$answer"; exit 1; fi
        if [[ $answer == *'"should_prune":true'* ]]; then state=PRUNED; break; fi
    done
    if [[ $state == PRUNED ]]; then
        optunad_call tell "{\"trial_id\":$id,\"state\":\"PRUNED\"}" >/dev/null
        pruned=$((pruned + 1))
        printf 'trial %2d  lr=%-12.6g pruned at step %d (loss %.4g)\n' "$number" "$lr" "$step" "$value"
    else
        optunad_call tell "{\"trial_id\":$id,\"value\":$value}" >/dev/null
        printf 'trial %2d  lr=%-12.6g complete (loss %.4g)\n' "$number" "$lr" "$value"
    fi
done

printf '%d of %d trials pruned\n' "$pruned" "$trials"
optunad_call best_trial "$(jq -cn --arg s "$study" '{study_name: $s}')" \
    '"best: trial \(.number) lr \(.params.lr) loss \(.value)"'
