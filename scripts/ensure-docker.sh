#!/usr/bin/env bash
# Make sure a Docker engine answers. On Debian as root, install it from Debian's
# packages and start the daemon in the background (log: reports/dockerd.log).
# Elsewhere, exit with one line that names what to install. Never hangs: every
# Docker call has a timeout.
set -u
log_dir="${ROUTR_REPORTS:-reports}"
mkdir -p "$log_dir"

docker_ok() { command -v docker >/dev/null 2>&1 && timeout 15 docker info >/dev/null 2>&1; }
can_apt() { [ "$(id -u)" = "0" ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; }

if docker_ok; then
  # The sandbox base image is debootstrapped when no registry answers: make sure we can.
  if ! command -v debootstrap >/dev/null 2>&1 && can_apt; then
    echo "routr: installing debootstrap (builds the sandbox base image)..." >&2
    export DEBIAN_FRONTEND=noninteractive
    { timeout 600 apt-get update -q && timeout 900 apt-get install -y -q debootstrap; } \
      >"$log_dir/apt.log" 2>&1 || echo "routr: warning: could not install debootstrap (see $log_dir/apt.log)" >&2
  fi
  exit 0
fi

if ! can_apt; then
  echo "error: no Docker engine answers: install Docker Engine (https://docs.docker.com/engine/install/), start it, then run 'make setup' again" >&2
  exit 1
fi

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  echo "routr: installing ${need[*]} from Debian's packages..." >&2
  export DEBIAN_FRONTEND=noninteractive
  timeout 600 apt-get update -q >"$log_dir/apt.log" 2>&1 || true
  if ! timeout 900 apt-get install -y -q "${need[@]}" >>"$log_dir/apt.log" 2>&1; then
    echo "error: 'apt-get install ${need[*]}' failed (see $log_dir/apt.log): install Docker Engine by hand and run 'make setup' again" >&2
    exit 1
  fi
fi

# pgrep is missing from minimal images; dockerd's pid file answers there.
dockerd_running() {
  pgrep -x dockerd >/dev/null 2>&1 && return 0
  [ -f /var/run/docker.pid ] && kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null
}

if ! dockerd_running; then
  echo "routr: starting dockerd in the background (log: $log_dir/dockerd.log)" >&2
  nohup dockerd >"$log_dir/dockerd.log" 2>&1 </dev/null &
fi
for _ in $(seq 1 60); do
  docker_ok && exit 0
  sleep 1
done
echo "error: dockerd did not answer within 60 s (see $log_dir/dockerd.log): start it by hand ('dockerd &') and run 'make setup' again" >&2
exit 1
