#!/bin/bash
# A reproduction grid as a Slurm job array. Defaults: the paper's full grid (4 models × 3 losses ×
# 16 folds = 192 runs) on 48 GPU tasks, each running every 48th run of the deterministic grid.
# rpdl takes its shard from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT, so the array must be
# 0-(n-1) for n shards (or set SHARDS, below). All tasks write into one shared output directory
# and never write the same run; `rpdl report` merges them afterwards.
#
#   mkdir -p logs                                       # Slurm does not create the --output folder
#   OUT=/shared/rpdl-runs/paper DATA=/shared/cm_data sbatch deploy/slurm-array.sh
#   sbatch --dependency=afterok:<jobid> --wrap "npx rpdl report /shared/rpdl-runs/paper"
#
# Settings, from the environment (sbatch exports the submitting shell's environment by default):
#   OUT          output directory on a file system every node sees  [$HOME/rpdl-runs/$PROFILE]
#   DATA         directory with x9_7.npy and y9_7.npy; unset = the profile's synthetic phantom
#   PROFILE      paper | quick | smoke                              [paper]
#   BACKEND      auto | cpu | wasm | node | cuda | webgpu           [cuda]
#   EXPERIMENTS  1 | 2 | both        (rpdl --experiment)            [the profile's]
#   MODELS       e.g. unet3d,vnet3d  (rpdl --models)                [the profile's]
#   LOSSES       e.g. dl,rpdl        (rpdl --losses)                [the profile's]
#   FOLDS        e.g. 0-3,5 or all   (rpdl --folds)                 [the profile's]
#   SEED         global seed         (rpdl --seed)                  [rpdl's default]
#   SHARDS       total shard count; set it to resubmit only some indices of an earlier array,
#                e.g. SHARDS=48 sbatch --array=5,17 deploy/slurm-array.sh reruns shards 5 and 17
#   RPDL         the command that runs rpdl, e.g. "node /opt/rpdl/packages/experiments/bin/rpdl.mjs"
#                [npx rpdl]
# Arguments after the script name are passed on to `rpdl reproduce` unchanged, e.g.
#   sbatch deploy/slurm-array.sh --epochs 100 --quiet
# Every setting above must be the same for all tasks writing into one OUT: rpdl refuses to mix
# runs trained under different settings.
#
# Requeue and preemption: every task runs with --resume, so a task that is preempted, requeued
# (`scontrol requeue <jobid>_<index>`), or resubmitted skips the runs it already finished and
# continues an interrupted run from its last epoch checkpoint, which rpdl writes atomically after
# every epoch. At most the epoch in progress is lost, and the result equals an uninterrupted
# task's. `#SBATCH --requeue` below lets Slurm requeue the tasks of a preempted job itself (with
# PreemptMode=REQUEUE on the cluster); a task that failed can be rerun with `scontrol requeue`,
# or by resubmitting its index with SHARDS set. Two tasks must never run the same shard at once.
# A requeued task appends to its log (--open-mode=append); its first line says which restart it is.
#
# The #SBATCH lines below fit one GPU per task; sbatch options on the command line override
# them, e.g. for a CPU partition:
#   sbatch --gres=none --cpus-per-task=2 --mem=4G --array=0-5 deploy/slurm-array.sh
#
#SBATCH --job-name=rpdl
#SBATCH --array=0-47%16
#SBATCH --gres=gpu:1
#SBATCH --cpus-per-task=4
#SBATCH --mem=32G
#SBATCH --time=24:00:00
#SBATCH --requeue
#SBATCH --output=logs/rpdl-%A_%a.out
#SBATCH --open-mode=append

set -euo pipefail

PROFILE="${PROFILE:-paper}"
OUT="${OUT:-$HOME/rpdl-runs/$PROFILE}"
BACKEND="${BACKEND:-cuda}"
# tfjs-node-gpu needs CUDA 11.2 and cuDNN 8.1 on the library path, e.g.:
#   module load cuda/11.2 cudnn/8.1
read -r -a rpdl <<<"${RPDL:-npx rpdl}"

args=(reproduce --profile "$PROFILE" --backend "$BACKEND" --out "$OUT" --resume)
[ -n "${DATA:-}" ] && args+=(--data "$DATA")
[ -n "${EXPERIMENTS:-}" ] && args+=(--experiment "$EXPERIMENTS")
[ -n "${MODELS:-}" ] && args+=(--models "$MODELS")
[ -n "${LOSSES:-}" ] && args+=(--losses "$LOSSES")
[ -n "${FOLDS:-}" ] && args+=(--folds "$FOLDS")
[ -n "${SEED:-}" ] && args+=(--seed "$SEED")
if [ -n "${SHARDS:-}" ]; then
  # Explicit shard: the array's own task count no longer says how many shards there are.
  args+=(--shard "${SLURM_ARRAY_TASK_ID:?SHARDS is set but this is not a Slurm array task}/$SHARDS")
fi

echo "rpdl array task ${SLURM_ARRAY_JOB_ID:-?}_${SLURM_ARRAY_TASK_ID:-?} (restart ${SLURM_RESTART_COUNT:-0}) on $(hostname): ${rpdl[*]} ${args[*]} $*"
exec "${rpdl[@]}" "${args[@]}" "$@"
