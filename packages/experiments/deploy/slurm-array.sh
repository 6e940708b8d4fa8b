#!/bin/bash
# The paper's full grid (4 models × 3 losses × 16 folds = 192 runs) as a Slurm job array: each
# array task runs every 48th run of the deterministic grid (rpdl reads SLURM_ARRAY_TASK_ID and
# SLURM_ARRAY_TASK_COUNT). All tasks write into one shared output directory; a requeued or
# preempted task continues its interrupted run from the last epoch checkpoint (--resume).
#
#   sbatch deploy/slurm-array.sh                      # 48 tasks, at most 16 at a time
#   sbatch --dependency=afterok:<jobid> --wrap "npx rpdl report $OUT"   # merge when all are done
#
#SBATCH --job-name=rpdl-paper
#SBATCH --array=0-47%16
#SBATCH --gres=gpu:1
#SBATCH --cpus-per-task=4
#SBATCH --mem=32G
#SBATCH --time=24:00:00
#SBATCH --requeue
#SBATCH --output=logs/rpdl-%A_%a.out

set -euo pipefail

DATA="${DATA:-$HOME/cm_data}"          # holds x9_7.npy and y9_7.npy
OUT="${OUT:-$HOME/rpdl-runs/paper}"    # on a file system every node sees
# tfjs-node-gpu needs CUDA 11.2 and cuDNN 8.1, e.g.: module load cuda/11.2 cudnn/8.1

npx rpdl reproduce --profile paper --data "$DATA" --backend cuda --out "$OUT" --resume
