# Shared by start.sh and stop.sh (sourced): logging, the state-dir lock and the recorded server pids.
# Env: MLC_S3_STATE_DIR (default /tmp/mlc-s3-local).

STATE_DIR="${MLC_S3_STATE_DIR:-/tmp/mlc-s3-local}"
PIDS="$STATE_DIR/pids"

log() { echo "s3-local: $*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

# One start/stop at a time per state dir (several engineers and CI jobs may share the machine): fd 9 holds the lock.
lock_state_dir() {
  exec 9>"$STATE_DIR/.lock"
  flock -w 120 9 || die "another start.sh/stop.sh holds $STATE_DIR/.lock"
}

# name -> prints the recorded pid when that process is alive and still the program we started (pids get reused
# after a reboot or crash, so a live pid alone proves nothing); fails otherwise.
pid_of() {
  local f="$PIDS/$1.pid" pid cmd
  [ -s "$f" ] || return 1
  pid="$(cat "$f")"
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  case "$1" in
    memcached) [[ "$cmd" == *memcached* ]] || return 1 ;;
    *) [[ "$cmd" == *"swift-$1-server"* ]] || return 1 ;;
  esac
  echo "$pid"
}

pid_alive() { pid_of "$1" >/dev/null; }
