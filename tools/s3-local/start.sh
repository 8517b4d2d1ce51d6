#!/usr/bin/env bash
# Start a real S3-compatible server on loopback for tests: a single-node OpenStack Swift (Debian packages, see
# install.sh) with the s3api middleware and tempauth, storage in a plain directory under the state dir.
#
# Idempotent: when the recorded servers are alive and answering, it only rewrites the env file and exits 0.
# Everything (config, rings, data, logs, pids, env) lives under $MLC_S3_STATE_DIR; the only file outside it is
# /etc/swift/swift.conf, which Swift always reads for its hash salt and which is written only when missing.
#
# Env:
#   MLC_S3_STATE_DIR  state dir                       (default /tmp/mlc-s3-local)
#   MLC_S3_PORT       S3 endpoint (Swift proxy) port  (default 18080); backends use MLC_S3_PORT+1..+4
#   MLC_S3_BUCKET     bucket created for the tests    (default mlc-test); '<bucket>-versioned' is created too,
#                     with versioning enabled
#   MLC_S3_START_TIMEOUT  seconds to wait for the endpoint (default 60)
# Options:
#   --keep   mark the server as shared (a machine several people/CI runs use): stop.sh then leaves it running
#            unless given --force. Without --keep, an existing mark is left as it is.
# Writes $MLC_S3_STATE_DIR/env with MLC_S3_ENDPOINT, MLC_S3_BUCKET, MLC_S3_VERSIONED_BUCKET, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
# AWS_REGION (source it), and prints its path.
set -euo pipefail

KEEP=0
for arg in "$@"; do
  case "$arg" in
    --keep) KEEP=1 ;;
    *)
      echo "usage: start.sh [--keep]" >&2
      exit 2
      ;;
  esac
done
# shellcheck source=tools/s3-local/lib.sh
. "$(dirname "$0")/lib.sh"
PORT="${MLC_S3_PORT:-18080}"
BUCKET="${MLC_S3_BUCKET:-mlc-test}"
VERSIONED_BUCKET="$BUCKET-versioned"
TIMEOUT="${MLC_S3_START_TIMEOUT:-60}"
HOST=127.0.0.1
OBJECT_PORT=$((PORT + 1))
CONTAINER_PORT=$((PORT + 2))
ACCOUNT_PORT=$((PORT + 3))
MEMCACHED_PORT=$((PORT + 4))
# tempauth account 'mlc', user 'tester': the S3 access key is '<account>:<user>'.
ACCESS_KEY='mlc:tester'
PY=/usr/bin/python3
SERVICES=(memcached account container object proxy)

for bin in memcached swift-ring-builder swift-proxy-server swift-account-server swift-container-server \
  swift-object-server "$PY"; do
  command -v "$bin" >/dev/null 2>&1 || die "'$bin' not found; run tools/s3-local/install.sh first (as root)"
done

mkdir -p "$STATE_DIR"
STATE_DIR="$(cd "$STATE_DIR" && pwd)"
ETC="$STATE_DIR/etc"
DEVICES="$STATE_DIR/srv"
LOGS="$STATE_DIR/log"
PIDS="$STATE_DIR/pids"
ENV_FILE="$STATE_DIR/env"
mkdir -p "$ETC" "$DEVICES/d1" "$LOGS" "$PIDS"

lock_state_dir

if [ "$KEEP" -eq 1 ]; then touch "$STATE_DIR/keep"; fi

# The secret is generated once per state dir and kept, so a restart keeps working with an old env file.
if [ ! -s "$STATE_DIR/secret" ]; then
  (umask 077 && "$PY" -c 'import secrets; print(secrets.token_hex(16))' >"$STATE_DIR/secret")
fi
SECRET="$(cat "$STATE_DIR/secret")"

# --- S3 helpers (stdlib only: AWS signature v2, which s3api accepts) ---------------------------------
s3_request() { # method path [body] -> prints the HTTP status (000 when the connection fails)
  MLC_S3_SECRET="$SECRET" "$PY" - "$1" "$2" "$HOST" "$PORT" "$ACCESS_KEY" "${3:-}" <<'PYEOF'
import base64, hashlib, hmac, http.client, os, sys
from email.utils import formatdate
method, path, host, port, access, body = sys.argv[1:7]
body = body.encode()
date = formatdate(usegmt=True)
md5 = base64.b64encode(hashlib.md5(body).digest()).decode() if body else ""
ctype = "application/xml" if body else ""
string_to_sign = f"{method}\n{md5}\n{ctype}\n{date}\n{path}"
sig = base64.b64encode(hmac.new(os.environ["MLC_S3_SECRET"].encode(), string_to_sign.encode(), hashlib.sha1).digest()).decode()
headers = {"Date": date, "Authorization": f"AWS {access}:{sig}", "Content-Length": str(len(body))}
if body:
    headers.update({"Content-MD5": md5, "Content-Type": ctype})
try:
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request(method, path, body=body or None, headers=headers)
    resp = conn.getresponse()
    resp.read()
    print(resp.status)
except OSError:
    print("000")
PYEOF
}

write_env() {
  (
    umask 077
    cat >"$ENV_FILE.tmp" <<EOF
MLC_S3_ENDPOINT=http://$HOST:$PORT
MLC_S3_BUCKET=$BUCKET
MLC_S3_VERSIONED_BUCKET=$VERSIONED_BUCKET
AWS_ACCESS_KEY_ID=$ACCESS_KEY
AWS_SECRET_ACCESS_KEY=$SECRET
AWS_REGION=us-east-1
EOF
    mv "$ENV_FILE.tmp" "$ENV_FILE"
  )
  # The secret stays in the file only; the log shows the rest.
  sed 's/^AWS_SECRET_ACCESS_KEY=.*/AWS_SECRET_ACCESS_KEY=***/' "$ENV_FILE" >&2
  log "env written to $ENV_FILE (source it: set -a; . $ENV_FILE; set +a)"
  echo "$ENV_FILE"
}

VERSIONING_XML='<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>'

create_bucket() { # name
  case "$(s3_request PUT "/$1")" in
    200 | 409) return 0 ;; # 409: BucketAlreadyOwnedByYou
    *) return 1 ;;
  esac
}

# The test bucket, and a versioned one next to it ('<bucket>-versioned') for version-pinning tests.
ensure_bucket() {
  create_bucket "$BUCKET" && create_bucket "$VERSIONED_BUCKET" &&
    [ "$(s3_request PUT "/$VERSIONED_BUCKET?versioning" "$VERSIONING_XML")" = 200 ]
}

# --- already running? ------------------------------------------------------------------------------
all_alive=1
for s in "${SERVICES[@]}"; do pid_alive "$s" || all_alive=0; done
if [ "$all_alive" -eq 1 ] && [ "$(s3_request GET /)" = 200 ]; then
  ensure_bucket || die "server running but bucket '$BUCKET' or '$VERSIONED_BUCKET' could not be set up"
  log "already running on http://$HOST:$PORT"
  write_env
  exit 0
fi
# Partially running (a crash, a killed CI step): stop what is left and start clean (data is kept).
for s in "${SERVICES[@]}"; do
  if pid_alive "$s"; then
    log "stopping leftover $s"
    flock -u 9
    MLC_S3_STATE_DIR="$STATE_DIR" MLC_S3_RESTARTING=1 bash "$(dirname "$0")/stop.sh" >/dev/null
    flock -w 120 9 || die "lost $STATE_DIR/.lock"
    break
  fi
done

# --- preflight -----------------------------------------------------------------------------------------
for p in "$PORT" "$OBJECT_PORT" "$CONTAINER_PORT" "$ACCOUNT_PORT" "$MEMCACHED_PORT"; do
  if "$PY" -c 'import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)' "$p"; then
    die "port $p on $HOST is already in use (not by this state dir); choose another base port with MLC_S3_PORT"
  fi
done
# Swift keeps object metadata in user xattrs.
"$PY" -c 'import os,sys; p=os.path.join(sys.argv[1], ".xattr-probe"); open(p, "w").close(); os.setxattr(p, "user.probe", b"1"); os.unlink(p)' \
  "$DEVICES/d1" || die "$DEVICES does not support user xattrs, which Swift needs; set MLC_S3_STATE_DIR to a dir on ext4/xfs"

# Swift reads its hash salt (and storage policies) from /etc/swift/swift.conf whatever swift_dir says.
if [ ! -s /etc/swift/swift.conf ]; then
  mkdir -p /etc/swift 2>/dev/null || die "/etc/swift/swift.conf is missing and /etc/swift cannot be created (run once as root)"
  cat >/etc/swift/swift.conf <<'EOF' || die "cannot write /etc/swift/swift.conf (run once as root)"
[swift-hash]
swift_hash_path_suffix = mlc-s3-local
swift_hash_path_prefix = mlc-s3-local

[storage-policy:0]
name = Policy-0
default = yes
EOF
fi

RUN_USER="$(id -un)"

# --- config --------------------------------------------------------------------------------------------
common_default() { # port log_level
  cat <<EOF
[DEFAULT]
bind_ip = $HOST
bind_port = $1
# 0 = serve from this one process (no forking), so the recorded pid is the server.
workers = 0
user = $RUN_USER
swift_dir = $ETC
devices = $DEVICES
mount_check = false
disable_fallocate = true
log_level = $2
EOF
}

for kind in account container object; do
  case "$kind" in
    account) port="$ACCOUNT_PORT" ;;
    container) port="$CONTAINER_PORT" ;;
    object) port="$OBJECT_PORT" ;;
  esac
  {
    # Backends log warnings and errors only (every request is already in the proxy log).
    common_default "$port" WARNING
    cat <<EOF

[pipeline:main]
pipeline = $kind-server

[app:$kind-server]
use = egg:swift#$kind

[$kind-replicator]
[$kind-auditor]
[$kind-updater]
EOF
    if [ "$kind" = container ]; then printf '[container-sync]\n[container-sharder]\n'; fi
    if [ "$kind" = object ]; then printf '[object-reconstructor]\n'; fi
  } >"$ETC/$kind-server.conf"
done

{
  common_default "$PORT" INFO
  cat <<EOF

[pipeline:main]
# s3api sits before the auth middleware (tempauth); copy, slo (multipart), dlo, versioned_writes and symlink
# after it, as in Swift's proxy-server.conf-sample.
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk s3api tempauth copy slo dlo versioned_writes symlink proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
allow_account_management = true

[filter:s3api]
use = egg:swift#s3api
location = us-east-1
dns_compliant_bucket_names = true
allow_multipart_uploads = true
# Buckets/objects are owned by the one test account; no S3 ACL emulation.
s3_acl = false

[filter:tempauth]
use = egg:swift#tempauth
user_mlc_tester = $SECRET .admin

[filter:cache]
use = egg:swift#memcache
memcache_servers = $HOST:$MEMCACHED_PORT

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:proxy-logging]
use = egg:swift#proxy_logging

[filter:listing_formats]
use = egg:swift#listing_formats

[filter:bulk]
use = egg:swift#bulk

[filter:copy]
use = egg:swift#copy

[filter:slo]
use = egg:swift#slo

[filter:dlo]
use = egg:swift#dlo

[filter:versioned_writes]
use = egg:swift#versioned_writes
allow_object_versioning = true

[filter:symlink]
use = egg:swift#symlink
EOF
} >"$ETC/proxy-server.conf"
chmod 600 "$ETC/proxy-server.conf" # holds the secret

# --- rings (1 replica, 1 device) ---------------------------------------------------------------------
build_ring() { # name port
  local builder="$ETC/$1.builder"
  rm -f "$builder" "$ETC/$1.ring.gz"
  swift-ring-builder "$builder" create 6 1 1 >/dev/null
  swift-ring-builder "$builder" add "r1z1-$HOST:$2/d1" 1 >/dev/null
  # rebalance exits 1 on warnings (e.g. "balance is not optimal") even when the ring was written.
  swift-ring-builder "$builder" rebalance >/dev/null || true
  [ -s "$ETC/$1.ring.gz" ] || die "could not build the $1 ring"
}
build_ring account "$ACCOUNT_PORT"
build_ring container "$CONTAINER_PORT"
build_ring object "$OBJECT_PORT"

# --- start ---------------------------------------------------------------------------------------------
start_bg() { # name cmd...
  local name="$1"
  shift
  # setsid: own process group, so stop.sh can signal the server and any child it forks.
  # 9>&-: the servers must not inherit (and so hold) the state-dir lock.
  setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null 9>&- &
  echo $! >"$PIDS/$name.pid"
}

mem_user=()
if [ "$(id -u)" -eq 0 ]; then mem_user=(-u root); fi
start_bg memcached memcached -l "$HOST" -p "$MEMCACHED_PORT" -U 0 -m 64 "${mem_user[@]}"
# -v: log to the console too (stdout/stderr go to $LOGS), as there is no syslog in containers.
start_bg account swift-account-server "$ETC/account-server.conf" -v
start_bg container swift-container-server "$ETC/container-server.conf" -v
start_bg object swift-object-server "$ETC/object-server.conf" -v
start_bg proxy swift-proxy-server "$ETC/proxy-server.conf" -v

fail_with_logs() {
  log "ERROR: $*"
  for s in "${SERVICES[@]}"; do
    if ! pid_alive "$s"; then log "$s is not running"; fi
    echo "----- tail of $LOGS/$s.log -----" >&2
    tail -n 25 "$LOGS/$s.log" >&2 2>/dev/null || true
  done
  flock -u 9
  MLC_S3_STATE_DIR="$STATE_DIR" MLC_S3_RESTARTING=1 bash "$(dirname "$0")/stop.sh" >/dev/null 2>&1 || true
  exit 1
}

deadline=$((SECONDS + TIMEOUT))
until ensure_bucket; do
  for s in "${SERVICES[@]}"; do
    pid_alive "$s" || fail_with_logs "$s exited during startup"
  done
  [ "$SECONDS" -lt "$deadline" ] || fail_with_logs "S3 endpoint http://$HOST:$PORT did not answer within ${TIMEOUT}s"
  sleep 0.5
done
[ "$(s3_request HEAD "/$BUCKET")" = 200 ] || fail_with_logs "bucket '$BUCKET' was created but HEAD fails"
log "S3 (Swift s3api) up on http://$HOST:$PORT after ${SECONDS}s, buckets '$BUCKET' and '$VERSIONED_BUCKET'"
write_env
