#!/usr/bin/env bash
# Stop the one-node Slurm started by scripts/slurm-up.sh: slurmd and slurmctld (and
# munged with --munge), found through their pid files. Running jobs are not cancelled
# (their slurmstepd outlives slurmd): scancel them first for a clean slate.
#
#   scripts/slurm-down.sh [--munge]
set -euo pipefail

STOP_MUNGE=0
case "${1:-}" in
  --munge) STOP_MUNGE=1 ;;
  '') ;;
  -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "slurm-down: unknown argument: $1" >&2; exit 2 ;;
esac
if [ "$(id -u)" != 0 ]; then
  echo "slurm-down: must run as root" >&2; exit 3
fi

exec 9>/run/taskloaf-slurm.lock
flock -w 600 9 || { echo "slurm-down: timed out waiting for the lock" >&2; exit 1; }

stop() {   # pidfile name
  local pid
  [ -s "$1" ] || return 0
  pid=$(cat "$1" 2>/dev/null) || return 0
  case "$pid" in ''|*[!0-9]*) return 0 ;; esac
  [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = "$2" ] || { rm -f "$1"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do [ -d /proc/"$pid" ] || break; sleep 0.1; done
  [ -d /proc/"$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$1"
  echo "slurm-down: stopped $2 ($pid)" >&2
}

stop /run/slurmd.pid slurmd
stop /run/slurmctld.pid slurmctld
rm -f /run/taskloaf-slurm.state
[ "$STOP_MUNGE" = 1 ] && stop /run/munge/munged.pid munged
exit 0
