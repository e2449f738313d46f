#!/usr/bin/env bash
# Tuning a command with `optunactl run`, no code: each trial runs train-toy.sh with the sampled --lr and
# --layers, reports its `step=N value=V` lines as they appear (the median pruner stops hopeless runs), and
# tells the `objective=V` it prints at the end. Two trials run at a time.
#
#   OPTUNAD_SOCKET=... ./tune-command.sh [STUDY] [N_TRIALS]
#
# Needs optunactl on PATH (or OPTUNACTL=/path/to/optunactl) and a running optunad.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
optunactl=${OPTUNACTL:-optunactl}
study=${1:-tune-$(date +%s)-$$}
n=${2:-12}
pruner=${PRUNER:-median}

"$optunactl" create-study "$study" --direction minimize --pruner "$pruner" --load-if-exists >/dev/null
"$optunactl" run "$study" \
    --param lr=float:1e-4:1:log --param layers=int:1:8 \
    --n-trials "$n" --jobs 2 \
    -- "$here/train-toy.sh" --lr {lr} --layers {layers} --epochs 6
"$optunactl" best-trial "$study"
