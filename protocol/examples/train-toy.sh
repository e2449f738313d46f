#!/usr/bin/env bash
# A stand-in for a training program, for the optunactl run recipe: takes --lr and --layers, "trains" for
# --epochs epochs, prints `step=N value=LOSS` after each (intermediate values) and `objective=LOSS` at the
# end. Its loss is lowest near lr = 0.01 and layers = 4. `--fail` makes it exit 3 without an objective.
set -euo pipefail
lr=0.1 layers=1 epochs=8 delay=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --lr) lr=$2; shift 2 ;;
        --layers) layers=$2; shift 2 ;;
        --epochs) epochs=$2; shift 2 ;;
        --delay) delay=$2; shift 2 ;;
        --fail) echo "diverged" >&2; exit 3 ;;
        *) echo "train-toy: unknown argument $1" >&2; exit 64 ;;
    esac
done
for ((step = 0; step < epochs; step++)); do
    loss=$(awk -v lr="$lr" -v n="$layers" -v s="$step" \
        'BEGIN { l = log(lr) / log(10) + 2; printf "%.6g\n", l * l + (n - 4) * (n - 4) / 8 + 1 / (s + 1) }')
    echo "epoch $step: step=$step value=$loss"
    [[ $delay == 0 ]] || sleep "$delay"
done
echo "objective=$loss"
