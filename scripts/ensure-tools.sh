#!/usr/bin/env bash
# Debian packages the tests and benchmarks drive as real programs: `hey` (the load
# generator of benchmarks/serve_*.py). Installed when missing and we are root on Debian;
# elsewhere one line names what to install. Idempotent: seconds when all is there.
set -u
log_dir="${ROUTR_REPORTS:-reports}"
mkdir -p "$log_dir"
need=()
command -v hey >/dev/null 2>&1 || need+=(hey)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "error: missing ${need[*]}: install it (Debian: apt-get install ${need[*]}) and run 'make setup' again" >&2
  exit 1
fi
echo "routr: installing ${need[*]} from Debian's packages..." >&2
export DEBIAN_FRONTEND=noninteractive
timeout 600 apt-get update -q >"$log_dir/apt-tools.log" 2>&1 || true
if ! timeout 900 apt-get install -y -q "${need[@]}" >>"$log_dir/apt-tools.log" 2>&1; then
  echo "error: 'apt-get install ${need[*]}' failed (see $log_dir/apt-tools.log)" >&2
  exit 1
fi
