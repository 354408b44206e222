#!/usr/bin/env bash
# Submits a night's batch to Slurm: the job array of slurm-array.sh (one
# task per share), then `bulletin merge --programme`, which starts only
# once every task has succeeded (afterok). Prints the two job ids.
#
#   docs/examples/slurm-submit.sh
#   TASKS=4 BULLETIN_INPUT=/shared/incoming/tonight BULLETIN_OUT=/shared/tonight \
#     BULLETIN_CACHE=/shared/bulletin-cache BULLETIN_LOGS=/shared/logs docs/examples/slurm-submit.sh
#
# scripts/test-slurm runs this file unchanged on a one-node cluster.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tasks=${TASKS:-8}
out=${BULLETIN_OUT:-/shared/tonight}
logs=${BULLETIN_LOGS:-logs}
mkdir -p "$logs"
# The environment (PATH, BULLETIN_*) goes with each job: sbatch's default.
array=$(sbatch --parsable --array="1-$tasks" \
  --output="$logs/bulletin-%A-%a.log" "$here/slurm-array.sh")
array=${array%%;*}
merge=$(sbatch --parsable --job-name=bulletin-merge \
  --dependency="afterok:$array" --output="$logs/bulletin-merge-%j.log" \
  --wrap "exec bulletin merge $(printf '%q' "$out") --programme")
merge=${merge%%;*}
echo "$array $merge"
