#!/usr/bin/env bash
# A night's batch split over 8 machines with a Slurm job array. Every task
# renders its own deterministic share (chosen by article id, so adding a
# file tonight does not move yesterday's articles between tasks) into one
# shared output folder, with one shared segment cache. A last job joins the
# shards' manifests once all tasks are done; slurm-submit.sh submits both:
#
#   sbatch docs/examples/slurm-array.sh
#   sbatch --dependency=afterok:<array job id> --wrap "bulletin merge /shared/tonight --programme"
#
# The folders can be set through the environment (sbatch passes it on):
# BULLETIN_INPUT, BULLETIN_OUT and BULLETIN_CACHE. scripts/test-slurm runs
# this file unchanged on a real one-node Slurm cluster.
#
#SBATCH --job-name=bulletin
#SBATCH --array=1-8
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=02:00:00
#SBATCH --output=logs/bulletin-%A-%a.log
set -euo pipefail
BULLETIN_CACHE=${BULLETIN_CACHE:-/shared/bulletin-cache} \
  bulletin render "${BULLETIN_INPUT:-/shared/incoming/tonight}" \
    --out "${BULLETIN_OUT:-/shared/tonight}" \
    --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}" \
    --jobs "${SLURM_CPUS_PER_TASK}" \
    --log-format json
# Exit codes: 0 done, 1 some articles failed (listed in the shard's
# manifest), 2 bad input, 3 no usable engine. Re-running a failed or killed
# task resumes from the cache and gives the same bytes.
