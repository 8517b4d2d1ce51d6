#!/usr/bin/env bash
# Install what tools/s3-local/start.sh needs: Debian's OpenStack Swift (with its built-in s3api middleware)
# and memcached. Idempotent: does nothing when everything is already installed, and runs `apt-get update`
# only when a package is missing and the package lists cannot provide it.
# Must run as root (CI runs it on a fresh Debian 12 machine).
set -euo pipefail

PACKAGES=(swift swift-proxy swift-account swift-container swift-object memcached)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "s3-local: all packages already installed (${PACKAGES[*]})"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "s3-local: missing packages (${missing[*]}); run this script as root" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Services must not be started by the packages' maintainer scripts: start.sh runs its own copies on loopback
# ports, and there is no init system in CI containers anyway. policy-rc.d exit 101 = "action forbidden".
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  own_policy=1
fi
cleanup() { if [ "$own_policy" -eq 1 ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

# force-unsafe-io: no fsync per unpacked file (CI machines are throwaway); noticeably faster on slow disks.
apt_opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-unsafe-io -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

# Update the lists only when apt cannot find a candidate for every missing package (fresh image: empty lists).
need_update=0
for p in "${missing[@]}"; do
  if ! apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    need_update=1
    break
  fi
done
if [ "$need_update" -eq 1 ]; then
  echo "s3-local: apt-get update"
  apt-get update -q -o DPkg::Lock::Timeout=300
fi

echo "s3-local: installing ${missing[*]}"
if ! apt-get install "${apt_opts[@]}" "${missing[@]}"; then
  # Stale lists (a mirror rotated a .deb away): refresh once and retry.
  apt-get update -q -o DPkg::Lock::Timeout=300
  apt-get install "${apt_opts[@]}" "${missing[@]}"
fi
echo "s3-local: installed"
