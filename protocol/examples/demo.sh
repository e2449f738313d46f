#!/usr/bin/env bash
# Start optunad with its defaults (SQLite storage), tune a toy objective from the shell with optunactl,
# print the best trial, and stop the daemon again (a daemon that was already running is used and left alone).
set -euo pipefail
pid=""
if ! optunactl status >/dev/null 2>&1; then
    optunad &
    pid=$!
    for _ in $(seq 200); do optunactl status >/dev/null 2>&1 && break; sleep 0.05; done
fi
cleanup() { if [ -n "$pid" ]; then kill "$pid"; wait "$pid" || true; fi; }
trap cleanup EXIT

optunactl status
study="demo-$(date +%Y%m%d-%H%M%S)"
optunactl create-study "$study" --direction minimize --seed 1
for _ in $(seq 40); do
    eval "$(optunactl ask "$study" --param x=float:-10:10 --param y=int:-5:5 --param act=cat:relu,tanh --format env)"
    # The objective: (x - 2)^2 + (y + 1)^2, plus 1 for tanh.
    value=$(awk -v x="$OPTUNA_PARAM_X" -v y="$OPTUNA_PARAM_Y" -v a="$OPTUNA_PARAM_ACT" \
        'BEGIN { printf "%.12g\n", (x - 2) ^ 2 + (y + 1) ^ 2 + (a == "tanh") }')
    optunactl tell "$OPTUNA_TRIAL_ID" "$value" >/dev/null
done
echo
optunactl trials "$study" --limit 5
echo
optunactl best-trial "$study"
