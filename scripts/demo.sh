#!/usr/bin/env bash
# The demo `make demo` runs: bench the bundled tasks against four simulated models in
# real Docker sandboxes, then print the leaderboard. It resumes: a second run only does
# what is missing. Simulated models are stand-ins served over real HTTP (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUTR=.venv/bin/routr
DB=${ROUTR_DEMO_DB:-reports/demo.duckdb}
mkdir -p reports

echo "== the bundled tasks"
$ROUTR tasks list || echo "(some task folders are malformed: bench skips them)"

echo
echo "== bench: every bundled task x 4 simulated models (resumes into $DB)"
$ROUTR bench \
  -m sim/frontier -m sim/swift -m sim/budget -m sim/flaky \
  --db "$DB" --jobs 4 --sim-latency 0.05 --seed 7 \
  --json reports/demo-bench.json --junit reports/demo-bench.xml

echo
echo "== leaderboard"
$ROUTR rank --db "$DB"
