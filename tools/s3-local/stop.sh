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

# shellcheck source=tools/s3-local/lib.sh
. "$(dirname "$0")/lib.sh"

if [ ! -d "$PIDS" ]; then
  log "nothing to stop ($PIDS does not exist)"
  exit 0
fi

lock_state_dir

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
  # Only a recorded pid that is still the program we started is signalled.
  if pid="$(pid_of "$name")"; then
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
