#!/usr/bin/env bash
# Runs deploy/slurm-array.sh on a real, one-node Slurm cluster started on this machine, and checks
# that the merged report equals a single-process reproduction of the same grid byte for byte.
#
#   bash packages/experiments/deploy/test-slurm.sh        # as root; a few minutes at most
#
# What it does:
#   1. installs Debian's slurm-wlm and munge if they are missing (no daemon is started by apt);
#   2. starts a private munged (own key and socket) and a slurmctld + slurmd for localhost, all
#      configured in a temporary directory on free ports, so no system configuration is used or
#      changed;
#   3. runs the smoke profile once in a single process, on the stock tfjs kernels
#      (RPDL_NATIVE_KERNELS=0: bit-for-bit reproducible across processes), then `rpdl report`;
#   4. submits the shipped array script as 3 array tasks (command-line options replace the
#      script's GPU-sized #SBATCH lines), requeues task 1 once while it runs (`scontrol requeue`),
#      waits for the job (bounded), resubmits index 1 alone with SHARDS=3 (it must find its runs
#      finished), and runs `rpdl report` on the shared output directory;
#   5. compares the reports, figures, baselines, predictions and best weights with step 3's.
# Every daemon it started is stopped by its recorded pid on success and on failure; the script
# then checks that no process it started (daemon, job step, job) is left, and exits non-zero with
# the Slurm and munge log tails when anything failed.
#
# Environment: RPDL_SLURM_TIMEOUT (seconds to wait for the job, default 300),
# RPDL_SLURM_KEEP=1 (keep the temporary directory for inspection).
set -euo pipefail

deploy="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
package="$(dirname "$deploy")"
root="$(cd "$package/../.." && pwd)"
bin="$package/bin/rpdl.mjs"
job_timeout="${RPDL_SLURM_TIMEOUT:-300}"
tasks=3
requeued_task=1

say() { printf '[test-slurm %3ss] %s\n' "$SECONDS" "$*"; }
fail() {
  printf '[test-slurm %3ss] FAILED: %s\n' "$SECONDS" "$*" >&2
  exit 1
}

[ "$(id -u)" = 0 ] || fail "run as root: it installs Debian packages and starts slurmd, which runs jobs as their user"

# --- 1. packages -------------------------------------------------------------------------------
missing=()
for tool in munged munge slurmctld slurmd sbatch scontrol squeue sinfo scancel; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing slurm-wlm and munge (missing: ${missing[*]})"
  command -v apt-get >/dev/null 2>&1 || fail "need apt-get to install slurm-wlm and munge"
  # Debian's maintainer scripts would start the system munged/slurmd services; this test runs its
  # own daemons, so deny service starts during the install (unless a policy already decides).
  policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    policy_added=1
  fi
  install_status=0
  {
    apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        slurm-wlm munge >/dev/null
  } || install_status=$?
  [ "$policy_added" = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ "$install_status" = 0 ] || fail "apt-get install slurm-wlm munge exited $install_status"
fi

if [ ! -f "$package/dist/cli.js" ]; then
  say "building @rpdl/experiments (no dist/ yet)"
  (cd "$root" && pnpm exec turbo run build --filter=@rpdl/experiments... --output-logs=errors-only)
fi

# --- 2. a private one-node cluster ------------------------------------------------------------
tmp="$(mktemp -d /tmp/rpdl-slurm.XXXXXX)"
chmod 755 "$tmp" # munged requires every directory above its socket to be searchable by all
mkdir -p "$tmp/munge" "$tmp/run" "$tmp/state" "$tmp/spool" "$tmp/logs" "$tmp/jobs"
chmod 700 "$tmp/munge"
# Every process this test starts carries this variable (daemons directly, job steps and jobs
# through them), which is how the final check finds anything left behind, and only that.
marker="RPDL_SLURM_TEST=$tmp"
daemon_names=()
daemon_pids=()
jobs=()

marked_pids() {
  local dir pid
  for dir in /proc/[0-9]*; do
    pid="${dir#/proc/}"
    [ "$pid" = "$$" ] && continue
    if { tr '\0' '\n' <"$dir/environ"; } 2>/dev/null | grep -qxF "$marker"; then
      echo "$pid"
    fi
  done
}

alive() { # a pid that runs (a zombie awaiting its wait counts as gone)
  local state
  state="$(ps -o stat= -p "$1" 2>/dev/null || true)"
  [ -n "$state" ] && [ "${state:0:1}" != Z ]
}

stop_pid() { # SIGTERM, up to 15 s grace, then SIGKILL
  local pid="$1" i
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 150); do
    alive "$pid" || break
    sleep 0.1
  done
  if alive "$pid"; then
    say "pid $pid ignored SIGTERM for 15 s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

log_tails() {
  local file
  for file in "$tmp"/logs/* "$tmp"/jobs/*; do
    [ -f "$file" ] || continue
    printf '\n----- %s (last 40 lines)\n' "$file" >&2
    tail -n 40 "$file" >&2
  done
}

cleanup() {
  local status=$? i pid leftovers
  set +e
  trap - EXIT INT TERM
  if [ "${#jobs[@]}" -gt 0 ] && [ "${#daemon_pids[@]}" = 3 ] && alive "${daemon_pids[1]}"; then
    # Cancel first so that slurmd's job steps end: slurmstepd deliberately outlives slurmd.
    scancel "${jobs[@]}" 2>/dev/null
    for i in $(seq 60); do
      [ -z "$(squeue -h -j "$(IFS=,; echo "${jobs[*]}")" -o %i 2>/dev/null)" ] && break
      sleep 0.5
    done
  fi
  for ((i = ${#daemon_pids[@]} - 1; i >= 0; i--)); do
    stop_pid "${daemon_pids[i]}"
  done
  for i in $(seq 50); do
    leftovers="$(marked_pids)"
    [ -z "$leftovers" ] && break
    sleep 0.1
  done
  if [ -n "$leftovers" ]; then
    echo "processes this test started are still running:" >&2
    # shellcheck disable=SC2086
    ps -o pid=,args= -p $leftovers >&2
    for pid in $leftovers; do kill -KILL "$pid" 2>/dev/null; done
    status=1
  fi
  others="$(pgrep -a 'slurm|munge' | grep -v "^$$ " || true)"
  [ -n "$others" ] && say "slurm/munge processes not started by this test (left alone): $others"
  if [ "$status" != 0 ]; then
    log_tails
    printf '[test-slurm %3ss] FAILED (exit %s)\n' "$SECONDS" "$status" >&2
  fi
  if [ "${RPDL_SLURM_KEEP:-0}" = 1 ]; then
    say "kept $tmp"
  else
    rm -rf "$tmp"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_daemon() { # name, command…: runs it in the foreground mode as a background job
  local name="$1"
  shift
  env "$marker" "$@" >"$tmp/logs/$name.out" 2>&1 &
  daemon_names+=("$name")
  daemon_pids+=("$!")
  say "started $name (pid $!)"
}

wait_for() { # seconds, description, command…
  local seconds="$1" what="$2" d
  shift 2
  for _ in $(seq $((seconds * 5))); do
    "$@" >/dev/null 2>&1 && return 0
    for d in "${!daemon_pids[@]}"; do
      alive "${daemon_pids[d]}" || fail "${daemon_names[d]} exited while waiting for $what"
    done
    sleep 0.2
  done
  fail "timed out after ${seconds}s waiting for $what"
}

free_port() {
  node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# munged with its own key and socket: no system munge key is used or created.
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$tmp/munge/munge.key"
socket="$tmp/run/munge.socket"
start_daemon munged munged --foreground --force --socket="$socket" \
  --key-file="$tmp/munge/munge.key" --log-file="$tmp/logs/munged.log" \
  --pid-file="$tmp/run/munged.pid" --seed-file="$tmp/munge/munged.seed"
wait_for 20 "munged to answer" sh -c "munge -n -S '$socket' | unmunge -S '$socket'"

node_name="$(hostname -s)"
cpus="$(nproc)"
[ "$cpus" -gt 2 ] && cpus=2
memory="$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')"
[ -n "$memory" ] || fail "slurmd -C reported no RealMemory"
ctld_port="$(free_port)"
slurmd_port="$(free_port)"
[ "$ctld_port" != "$slurmd_port" ] || slurmd_port="$(free_port)"
export SLURM_CONF="$tmp/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=rpdltest
SlurmctldHost=$node_name(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
# cred_expire is also how long a requeued job waits before it may start again (default 120 s).
AuthInfo=socket=$socket,cred_expire=10
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/run/slurmctld.pid
SlurmdPidFile=$tmp/run/slurmd.pid
SlurmctldLogFile=$tmp/logs/slurmctld.log
SlurmdLogFile=$tmp/logs/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
SchedulerParameters=sched_interval=2
MpiDefault=none
ReturnToService=2
KillWait=5
MinJobAge=600
NodeName=$node_name NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=test Nodes=$node_name Default=YES MaxTime=INFINITE State=UP
EOF
start_daemon slurmctld slurmctld -D -f "$SLURM_CONF"
start_daemon slurmd slurmd -D -f "$SLURM_CONF" -N "$node_name"
wait_for 60 "node $node_name to be idle" sh -c "sinfo -h -n '$node_name' -o %T | grep -qx idle"
say "cluster up: node $node_name, $cpus CPU(s), slurmctld :$ctld_port, slurmd :$slurmd_port"

# --- 3. the reference: one process ------------------------------------------------------------
rpdl=(node "$bin")
export RPDL_NATIVE_KERNELS=0
single="$tmp/single"
say "single-process reference run (smoke profile, stock kernels)"
"${rpdl[@]}" reproduce --profile smoke --backend cpu --out "$single" --quiet >"$tmp/logs/single.out" 2>&1 ||
  fail "single-process rpdl reproduce failed (see $tmp/logs/single.out)"
"${rpdl[@]}" report "$single" >>"$tmp/logs/single.out" 2>&1 || fail "rpdl report of the single run failed"

# --- 4. the array job -------------------------------------------------------------------------
out="$tmp/sharded"
submit() { # array spec, extra VAR=value…: submits the shipped script, sets $job
  local array="$1"
  shift
  job="$(
    cd "$tmp" && env "$marker" OUT="$out" PROFILE=smoke BACKEND=cpu RPDL="${rpdl[*]}" "$@" \
      sbatch --parsable --array="$array" --gres=none --cpus-per-task=1 --mem=1G \
      --time=10 --output="$tmp/jobs/rpdl-%A_%a.out" --open-mode=append \
      "$deploy/slurm-array.sh" --quiet
  )" || fail "sbatch --array=$array failed"
  job="${job%%;*}"
  jobs+=("$job")
}
wait_job() { # job id: waits until it has left the queue, bounded by RPDL_SLURM_TIMEOUT
  local deadline=$((SECONDS + job_timeout)) d
  while [ -n "$(squeue -h -j "$1" -o %i)" ]; do
    [ "$SECONDS" -lt "$deadline" ] || fail "job $1 still queued or running after ${job_timeout}s"
    for d in "${!daemon_pids[@]}"; do
      alive "${daemon_pids[d]}" || fail "${daemon_names[d]} exited while job $1 ran"
    done
    sleep 1
  done
  say "job $1 left the queue"
}
submit "0-$((tasks - 1))"
say "submitted array job $job ($tasks tasks)"
task_log="$tmp/jobs/rpdl-${job}_${requeued_task}.out"
# Requeue while the task is inside its grid slice, as a preemption would.
wait_for 120 "array task $requeued_task to start its runs" grep -q '^grid:' "$task_log"
state="$(squeue -h -j "${job}_${requeued_task}" -o %T)"
finished_before="$(grep -c '^\[.*Dice' "$task_log" || true)"
scontrol requeue "${job}_${requeued_task}" || fail "scontrol requeue ${job}_${requeued_task} failed"
say "requeued task $requeued_task (state ${state:-gone}, $finished_before of its runs finished before)"

wait_job "$job"

scontrol -o show job "$job" >"$tmp/logs/job-records.txt"
[ "$(grep -c 'ArrayTaskId=' "$tmp/logs/job-records.txt")" = "$tasks" ] ||
  fail "expected $tasks array task records, got: $(cat "$tmp/logs/job-records.txt")"
for task in $(seq 0 $((tasks - 1))); do
  record="$(grep " ArrayTaskId=$task " "$tmp/logs/job-records.txt")" || fail "no record of task $task"
  if ! grep -q ' JobState=COMPLETED ' <<<"$record" || ! grep -q ' ExitCode=0:0 ' <<<"$record"; then
    fail "task $task did not complete cleanly: $record"
  fi
  restarts="$(sed -n 's/.* Restarts=\([0-9]*\) .*/\1/p' <<<"$record")"
  expected=0
  [ "$task" = "$requeued_task" ] && expected=1
  [ "$restarts" = "$expected" ] || fail "task $task restarted $restarts time(s), expected $expected"
  # Each task must have taken its own shard from Slurm's array variables.
  grep -q "shard $task/$tasks runs" "$tmp/jobs/rpdl-${job}_${task}.out" ||
    fail "task $task did not run shard $task/$tasks"
done
grep -q '(restart 1)' "$task_log" || fail "the requeued task's log shows no second start"

# Resubmitting one index with SHARDS set must rerun exactly that shard: here every one of its
# runs is already finished, so it only confirms them.
submit "$requeued_task" SHARDS="$tasks"
say "resubmitted index $requeued_task as job $job with SHARDS=$tasks"
wait_job "$job"
rerun_log="$tmp/jobs/rpdl-${job}_${requeued_task}.out"
grep -q "shard $requeued_task/$tasks runs" "$rerun_log" ||
  fail "the resubmitted task did not run shard $requeued_task/$tasks"
# Run result lines only ("[i/n] <run id>: …"); other bracketed lines are worker output.
rerun_runs="$(grep -cE '^\[[0-9]+/[0-9]+\] ' "$rerun_log" || true)"
rerun_finished="$(grep -c 'already finished' "$rerun_log" || true)"
if [ "$rerun_runs" = 0 ] || [ "$rerun_finished" != "$rerun_runs" ]; then
  fail "the resubmitted shard should only have confirmed its $rerun_runs finished run(s)"
fi

"${rpdl[@]}" report "$out" >"$tmp/logs/report.out" 2>&1 || fail "rpdl report $out failed"

# --- 5. compare -------------------------------------------------------------------------------
compared=0
while IFS= read -r file; do
  [ -f "$out/$file" ] || fail "$file is in the single-process output but not in the Slurm job's"
  cmp -s "$single/$file" "$out/$file" || fail "$file differs between the single process and the Slurm job"
  compared=$((compared + 1))
done < <(cd "$single" && find report.md report.csv report.json figures baselines runs -type f \
  \( -path 'report.*' -o -path 'figures/*' -o -path 'baselines/*' -o -name '*.npy' -o -name best.ckpt \) |
  sort)
[ "$compared" -ge 10 ] || fail "only $compared files compared: the single-process output is incomplete"
metrics_single="$(cd "$single" && find runs -name metrics.json | sort)"
metrics_sharded="$(cd "$out" && find runs -name metrics.json | sort)"
[ "$metrics_single" = "$metrics_sharded" ] || fail "the two outputs hold different finished runs"
say "Slurm array ($tasks tasks, one requeued) = single process: $compared files byte-identical ($(wc -l <<<"$metrics_single") runs)"
