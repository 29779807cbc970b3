#!/usr/bin/env bash
# Bring up a one-node Slurm (munge + slurmctld + slurmd) on this Debian machine for
# taskloaf's scheduler tests. Idempotent: when Slurm already runs with the wanted
# configuration it only verifies. Exit codes: 0 ready, 1 failed, 2 usage, 3 cannot
# run Slurm here (not root or not Debian).
#
#   scripts/slurm-up.sh [--pbs-plugins on|off] [--timeout SECONDS] [--quiet]
#
# --pbs-plugins on  loads spank_pbs (PBS_JOBID, PBS_O_WORKDIR, ... in jobs) and
#                   JobSubmitPlugins=pbs; off (default) removes both.
set -euo pipefail

PBS_PLUGINS=off
TIMEOUT=60
QUIET=0
CLUSTER=taskloaf
PARTITION=debug
CONF_DIR=/etc/slurm
CONF=$CONF_DIR/slurm.conf
PLUGSTACK=$CONF_DIR/plugstack.conf
STATE_FILE=/run/taskloaf-slurm.state   # hash of the config the running daemons loaded
LOCK_FILE=/run/taskloaf-slurm.lock

die() { echo "slurm-up: $*" >&2; exit 1; }
log() { [ "$QUIET" = 1 ] || echo "slurm-up: $*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --pbs-plugins) PBS_PLUGINS=${2:-}; shift 2 || { echo "slurm-up: --pbs-plugins needs on|off" >&2; exit 2; } ;;
    --pbs-plugins=*) PBS_PLUGINS=${1#*=}; shift ;;
    --timeout) TIMEOUT=${2:-}; shift 2 || { echo "slurm-up: --timeout needs seconds" >&2; exit 2; } ;;
    --timeout=*) TIMEOUT=${1#*=}; shift ;;
    -q|--quiet) QUIET=1; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "slurm-up: unknown argument: $1" >&2; exit 2 ;;
  esac
done
case "$PBS_PLUGINS" in on|off) ;; *) echo "slurm-up: --pbs-plugins must be on or off" >&2; exit 2 ;; esac
case "$TIMEOUT" in ''|*[!0-9]*) echo "slurm-up: --timeout must be whole seconds" >&2; exit 2 ;; esac

if [ "$(id -u)" != 0 ]; then
  echo "slurm-up: cannot start Slurm here: must run as root" >&2; exit 3
fi
if [ ! -r /etc/debian_version ] || ! command -v apt-get >/dev/null || ! command -v dpkg >/dev/null; then
  echo "slurm-up: cannot start Slurm here: needs Debian (apt-get, dpkg)" >&2; exit 3
fi

START=$(date +%s.%N)
export DEBIAN_FRONTEND=noninteractive
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

# Serialise concurrent runs (tests may start several at once). Daemons are started
# with fd 9 closed so they do not keep holding the lock.
exec 9>"$LOCK_FILE"
flock -w 600 9 || die "timed out waiting for $LOCK_FILE"

# ---------------------------------------------------------------- packages
PKGS=(slurm-wlm slurm-client munge slurm-wlm-torque)
missing=()
for p in "${PKGS[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt_install() { apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null; }
  # Only refresh the package lists when installing from the current ones fails.
  # A new file of random name: a fixed path in /tmp could be another user's link.
  apt_log=$(mktemp /tmp/taskloaf-slurm-apt.XXXXXXXX)
  if ! apt_install >"$apt_log" 2>&1; then
    apt-get update -q >>"$apt_log" 2>&1 || true
    apt_install >>"$apt_log" 2>&1 || { tail -n 20 "$apt_log" >&2; rm -f "$apt_log"; die "apt-get install ${missing[*]} failed"; }
  fi
  rm -f "$apt_log"
fi
for b in munged slurmctld slurmd sinfo sbatch qsub; do
  command -v "$b" >/dev/null || die "$b not found after installing packages"
done

# Does process $1 exist and is it not a zombie?
proc_running() {
  local stat st
  stat=$(cat /proc/"$1"/stat 2>/dev/null) || return 1
  st=${stat##*) }; st=${st%% *}
  case "$st" in Z|X|x) return 1 ;; esac
}
# Is the process in pid file $1 running and named $2?
pid_alive() {
  local pidfile=$1 name=$2 pid
  [ -s "$pidfile" ] || return 1
  pid=$(cat "$pidfile" 2>/dev/null) || return 1
  case "$pid" in ''|*[!0-9]*) return 1 ;; esac
  proc_running "$pid" && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = "$name" ]
}

# ---------------------------------------------------------------- munge
munge_ok() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }
if ! munge_ok; then
  install -d -o munge -g munge -m 0700 /etc/munge /var/lib/munge /var/log/munge
  install -d -o munge -g munge -m 0755 /run/munge
  if [ ! -s /etc/munge/munge.key ]; then
    log "creating /etc/munge/munge.key"
    if command -v mungekey >/dev/null; then
      mungekey --create --keyfile=/etc/munge/munge.key --force
    else
      dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    fi
  fi
  chown munge:munge /etc/munge/munge.key
  chmod 0400 /etc/munge/munge.key
  if ! pid_alive /run/munge/munged.pid munged; then
    log "starting munged"
    # --force: tolerate a stale socket left by a munged that died.
    runuser -u munge -- munged --force 9>&- || die "munged failed to start (see /var/log/munge/munged.log)"
  fi
  for _ in $(seq 50); do munge_ok && break; sleep 0.2; done
  munge_ok || die "munge -n | unmunge fails"
fi

# ---------------------------------------------------------------- configuration
NODE_LINE=$(slurmd -C 2>/dev/null || true)
NODE_LINE=$(grep -m1 '^NodeName=' <<<"$NODE_LINE") || die "slurmd -C printed no node line"
NODE=$(sed 's/^NodeName=\([^ ]*\).*/\1/' <<<"$NODE_LINE")
CPUS=$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<<"$NODE_LINE")
HOST=$(hostname -s 2>/dev/null || uname -n | cut -d. -f1)
[ -n "$NODE" ] && [ -n "$HOST" ] || die "cannot determine node/host name"
# Keep only hardware fields; slurmd -C also prints UpTime.
NODE_HW=$(grep -oE '(CPUs|Boards|SocketsPerBoard|CoresPerSocket|ThreadsPerCore|RealMemory)=[0-9]+' <<<"$NODE_LINE" | tr '\n' ' ')

PLUGIN_DIR=
for d in /usr/lib/"$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)"/slurm-wlm /usr/lib/*/slurm-wlm /usr/lib/slurm /usr/lib64/slurm; do
  [ -e "$d/select_cons_tres.so" ] && { PLUGIN_DIR=$d; break; }
done
[ -n "$PLUGIN_DIR" ] || die "Slurm plugin directory not found"
if [ "$PBS_PLUGINS" = on ]; then
  [ -e "$PLUGIN_DIR/spank_pbs.so" ] && [ -e "$PLUGIN_DIR/job_submit_pbs.so" ] || die "PBS plugins not found in $PLUGIN_DIR"
fi

TMP=$(mktemp -d /tmp/taskloaf-slurm.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

{
  cat <<EOF
# Written by taskloaf scripts/slurm-up.sh: one-node Slurm for tests.
ClusterName=$CLUSTER
# Explicit loopback addresses: container host names need not resolve.
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# Mail options (-m, --mail-type) are accepted and dropped.
MailProg=/bin/true
# No cgroups needed (containers, gVisor).
ProctrackType=proctrack/linuxproc
TaskPlugin=task/affinity
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
# srun without --mpi gives Open MPI ranks PMIx (MPICH needs --mpi=pmi2).
MpiDefault=pmix
# A node that was down comes back by itself once slurmd registers.
ReturnToService=2
# Finished jobs stay visible to scontrol show job for 10 minutes.
MinJobAge=600
# Walltime kills and cancels finish fast in tests.
KillWait=5
OverTimeLimit=0
InactiveLimit=0
SlurmctldTimeout=60
SlurmdTimeout=120
# A job whose dependency can never be met is cancelled instead of pending forever.
DependencyParameters=kill_invalid_depend
# No slurmdbd: plain sacct fails ("Slurm accounting storage is disabled");
# squeue/scontrol are the status sources, and sacct -c reads the jobcomp file.
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=/var/log/slurm/jobcomp.log
EOF
  if [ "$PBS_PLUGINS" = on ]; then
    echo "# Translate PBS-style dependencies/accounts on submit (paired with spank_pbs)."
    echo "JobSubmitPlugins=pbs"
  fi
  echo "NodeName=$NODE NodeAddr=127.0.0.1 ${NODE_HW}State=UNKNOWN"
  # Jobs may share cores (up to 4 per core): a two-core test machine can then run
  # a long job (walltime, cancel) while others come and go. An --exclusive job
  # still gets every core of the node.
  echo "PartitionName=$PARTITION Nodes=$NODE Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4"
} >"$TMP/slurm.conf"

{
  echo "# Written by taskloaf scripts/slurm-up.sh (--pbs-plugins $PBS_PLUGINS)."
  [ "$PBS_PLUGINS" = on ] && echo "required $PLUGIN_DIR/spank_pbs.so"
  [ -d $CONF_DIR/plugstack.conf.d ] && echo "include $CONF_DIR/plugstack.conf.d/*.conf"
  true
} >"$TMP/plugstack.conf"

install -d -m 0755 $CONF_DIR /var/log/slurm /var/lib/slurm/slurmctld /var/lib/slurm/slurmd
for f in slurm.conf plugstack.conf; do
  if ! cmp -s "$TMP/$f" "$CONF_DIR/$f"; then
    log "writing $CONF_DIR/$f"
    install -m 0644 "$TMP/$f" "$CONF_DIR/$f.tmp.$$"
    mv -f "$CONF_DIR/$f.tmp.$$" "$CONF_DIR/$f"
  fi
done
WANT_HASH=$(cat "$CONF" "$PLUGSTACK" | sha256sum | cut -d' ' -f1)

# ---------------------------------------------------------------- daemons
ctld_up() { [[ "$(scontrol ping 2>/dev/null || true)" == *"is UP"* ]]; }
running=0
if pid_alive /run/slurmctld.pid slurmctld && pid_alive /run/slurmd.pid slurmd \
   && [ "$(cat "$STATE_FILE" 2>/dev/null || true)" = "$WANT_HASH" ] && ctld_up; then
  running=1
fi

stop_daemon() {   # pidfile name
  local pid
  pid_alive "$1" "$2" || return 0
  pid=$(cat "$1")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do proc_running "$pid" || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  sleep 0.2
}

ACTION="already running"
SLURMD_T0=0
if [ "$running" = 0 ]; then
  if pid_alive /run/slurmctld.pid slurmctld || pid_alive /run/slurmd.pid slurmd; then
    if [ "$(cat "$STATE_FILE" 2>/dev/null || true)" != "$WANT_HASH" ]; then
      log "restarting slurmctld and slurmd (configuration changed)"
    else
      log "restarting slurmctld and slurmd (a daemon is down or not answering)"
    fi
    ACTION="restarted"
  else
    log "starting slurmctld and slurmd"
    ACTION="started"
  fi
  stop_daemon /run/slurmd.pid slurmd
  stop_daemon /run/slurmctld.pid slurmctld
  rm -f "$STATE_FILE"
  slurmctld 9>&- || die "slurmctld failed to start (see /var/log/slurm/slurmctld.log)"
  for _ in $(seq $((TIMEOUT * 5))); do ctld_up && break; sleep 0.2; done
  ctld_up || { tail -n 20 /var/log/slurm/slurmctld.log >&2; die "slurmctld did not come up"; }
  SLURMD_T0=$(date +%s)
  slurmd -N "$NODE" 9>&- || die "slurmd failed to start (see /var/log/slurm/slurmd.log)"
  echo "$WANT_HASH" >"$STATE_FILE"
fi

# ---------------------------------------------------------------- node state
node_state() { local out; out=$(sinfo -h -N -n "$NODE" -o '%T' 2>/dev/null || true); echo "${out%%$'\n'*}"; }
# Has the slurmd started by this run registered? (The node state alone may be the
# one slurmctld recovered from its state files.)
slurmd_registered() {
  local t
  [ "$SLURMD_T0" = 0 ] && return 0
  t=$(scontrol show node "$NODE" -o 2>/dev/null || true)
  t=$(sed -n 's/.*SlurmdStartTime=\([0-9T:-]*\).*/\1/p' <<<"$t")
  [ -n "$t" ] && t=$(date -d "$t" +%s 2>/dev/null) && [ "$t" -ge "$SLURMD_T0" ]
}
deadline=$(( $(date +%s) + TIMEOUT ))
last_resume=0
while :; do
  state=$(node_state)
  case "$state" in
    idle|mixed|allocated|completing) slurmd_registered && break ;;
    down|drain|drained|draining|fail|failing|down~|idle~)
      if [ $(( $(date +%s) - last_resume )) -ge 5 ]; then
        log "node $NODE is $state: resuming"
        scontrol update nodename="$NODE" state=resume >/dev/null 2>&1 || true
        last_resume=$(date +%s)
      fi ;;
  esac
  if [ "$(date +%s)" -ge "$deadline" ]; then
    scontrol show node "$NODE" >&2 2>/dev/null || true
    tail -n 10 /var/log/slurm/slurmd.log >&2 2>/dev/null || true
    die "node $NODE not usable after ${TIMEOUT}s (state: ${state:-none})"
  fi
  sleep 0.5
done

# After a (re)start, prove that a batch job runs end to end (polled: sbatch --wait
# sleeps for seconds between checks).
if [ "$ACTION" != "already running" ] && [ "$state" = idle ]; then
  jid=$(sbatch --parsable -J slurm-up-check -t 1 -n 1 -o /dev/null -e /dev/null --wrap true 2>&1) \
    || die "sbatch failed: $jid"
  jid=${jid%%;*}
  jstate=
  for _ in $(seq $((TIMEOUT * 5))); do
    jstate=$(scontrol show job "$jid" 2>/dev/null || true)
    jstate=$(sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' <<<"$jstate")
    case "$jstate" in PENDING|CONFIGURING|RUNNING|COMPLETING|'') sleep 0.2 ;; *) break ;; esac
  done
  [ "$jstate" = COMPLETED ] || { scancel "$jid" 2>/dev/null || true; die "test job $jid ended as ${jstate:-unknown}"; }
fi

ELAPSED=$(awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
echo "slurm-up: ok ($ACTION) cluster=$CLUSTER node=$NODE cpus=$CPUS partition=$PARTITION state=$state pbs-plugins=$PBS_PLUGINS ${ELAPSED}s"
