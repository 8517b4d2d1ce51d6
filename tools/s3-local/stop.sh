#!/usr/bin/env bash
# Stop the servers tools/s3-local/start.sh started, by the pids it recorded. Idempotent; keeps data and config
# (delete $MLC_S3_STATE_DIR for a clean slate). Env: MLC_S3_STATE_DIR (default /tmp/mlc-s3-local).
# A server started with `start.sh --keep` (shared by several users of the machine) is left running unless --force.
set -euo pipefail

FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    *)
      echo "usage: stop.sh [--force]" >&2
      exit 2
      ;;
  esac
done

STATE_DIR="${MLC_S3_STATE_DIR:-/tmp/mlc-s3-local}"
PIDS="$STATE_DIR/pids"
log() { echo "s3-local: $*" >&2; }

if [ ! -d "$PIDS" ]; then
  log "nothing to stop ($PIDS does not exist)"
  exit 0
fi

exec 9>"$STATE_DIR/.lock"
flock -w 120 9 || {
  log "ERROR: another start.sh/stop.sh holds $STATE_DIR/.lock"
  exit 1
}

# Only signal a recorded pid that is still the program we started (pids get reused after a reboot or crash).
ours() { # pid name
  local cmd
  cmd="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)" || return 1
  case "$2" in
    memcached) [[ "$cmd" == *memcached* ]] ;;
    *) [[ "$cmd" == *"swift-$2-server"* ]] ;;
  esac
}

# MLC_S3_RESTARTING: start.sh cleaning up its own half-started servers (the mark stays).
if [ -e "$STATE_DIR/keep" ] && [ -z "${MLC_S3_RESTARTING:-}" ]; then
  if [ "$FORCE" -eq 0 ]; then
    log "left running: it was started with --keep (shared); use stop.sh --force to stop it"
    exit 0
  fi
  rm -f "$STATE_DIR/keep"
fi

stopped=()
# Proxy first, so no request is half-served while the backends go away.
for name in proxy object container account memcached; do
  f="$PIDS/$name.pid"
  [ -s "$f" ] || continue
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null && ours "$pid" "$name"; then
    # The server leads its own process group (start.sh uses setsid): signal the group.
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    stopped+=("$name")
  fi
  rm -f "$f"
done

if [ "${#stopped[@]}" -gt 0 ]; then log "stopped ${stopped[*]}"; else log "nothing was running"; fi
