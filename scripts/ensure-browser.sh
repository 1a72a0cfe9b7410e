#!/usr/bin/env bash
# Make sure the site's browser test has what it drives: Debian's headless Chromium
# (with chromium-driver) and Node (the Model Grader's JavaScript is checked against
# `routr recommend` in Node). On Debian as root, install the missing packages with
# apt-get; elsewhere, exit with one line that names what to install.
set -u
log_dir="${ROUTR_REPORTS:-reports}"
mkdir -p "$log_dir"

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v node >/dev/null 2>&1 || need+=(nodejs)
[ ${#need[@]} -eq 0 ] && exit 0

if ! { [ "$(id -u)" = "0" ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; }; then
  echo "error: the site tests need ${need[*]}: install them (Debian: apt-get install ${need[*]}), then run 'make setup' again" >&2
  exit 1
fi
echo "routr: installing ${need[*]} from Debian's packages (the site's browser test)..." >&2
export DEBIAN_FRONTEND=noninteractive
timeout 600 apt-get update -q >"$log_dir/apt-browser.log" 2>&1 || true
if ! timeout 900 apt-get install -y -q --no-install-recommends "${need[@]}" >>"$log_dir/apt-browser.log" 2>&1; then
  echo "error: 'apt-get install ${need[*]}' failed (see $log_dir/apt-browser.log): install them by hand and run 'make setup' again" >&2
  exit 1
fi
