#!/usr/bin/env bash
# The demo `make demo` runs: bench bundled tasks against four simulated models in real
# Docker sandboxes, then print the leaderboard. It resumes: a second run only does what
# is missing. Simulated models are stand-ins served over real HTTP (see README), always
# labelled "(simulated)".
#
#   ROUTR_DEMO_SAMPLE=N   bench only N tasks, spread over categories (default 0: all;
#                         the full suite of ~40 tasks x 4 models takes ~3.5 min on 2 cores)
#   ROUTR_DEMO_DB=PATH    results database (default reports/demo.duckdb)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUTR=.venv/bin/routr
DB=${ROUTR_DEMO_DB:-reports/demo.duckdb}
SAMPLE=${ROUTR_DEMO_SAMPLE:-0}
mkdir -p reports

echo "== the bundled tasks"
$ROUTR tasks list || echo "(some task folders are malformed: bench skips them)"

SAMPLE_ARGS=()
if [ "$SAMPLE" != "0" ]; then
  SAMPLE_ARGS=(--sample "$SAMPLE")
fi

echo
echo "== bench: ${SAMPLE/#0/all} bundled tasks x 4 simulated models, graded in Docker (resumes into $DB)"
$ROUTR bench \
  -m sim/frontier -m sim/swift -m sim/budget -m sim/flaky \
  "${SAMPLE_ARGS[@]}" --seed 7 --jobs 4 --sim-latency 0.05 --db "$DB" \
  --json reports/demo-bench.json --junit reports/demo-bench.xml

echo
echo "== leaderboard"
$ROUTR rank --db "$DB"

echo
echo "== one attempt opened: a failed one if any (routr attempts show KEY)"
KEY=$($ROUTR attempts list --db "$DB" --status failed --limit 1 --json \
  | .venv/bin/python -c 'import json, sys; rows = json.load(sys.stdin); print(rows[0]["attempt_key"][:12] if rows else "")')
if [ -z "$KEY" ]; then
  KEY=$($ROUTR attempts list --db "$DB" --limit 1 --json \
    | .venv/bin/python -c 'import json, sys; print(json.load(sys.stdin)[0]["attempt_key"][:12])')
fi
SHOWN=$($ROUTR attempts show "$KEY" --db "$DB")
echo "$SHOWN" | sed -n '1,8p'
echo "$SHOWN" | sed -n '/^== applied change/,/^== [0-9]* tests\?:/p' | sed -n '1,30p'
echo "$SHOWN" | sed -n '/^== grading output/,$p' | sed -n '1,15p'

echo
echo "== export: every attempt as Parquet, read back by DuckDB"
$ROUTR export attempts --db "$DB" --format parquet -o reports/demo-attempts.parquet
.venv/bin/python -c 'import duckdb; print(duckdb.sql("SELECT model, count(*) AS attempts, count_if(solved) AS solved FROM '"'"'reports/demo-attempts.parquet'"'"' GROUP BY model ORDER BY model"))'

echo
echo "== site: reports/site from $DB (open reports/site/index.html, or: $ROUTR site serve)"
$ROUTR site build --db "$DB" --out reports/site

echo
echo "== a routed call: the standings pick a model for this request (simulated models; see README, Routing calls)"
$ROUTR call -m auto --explain --db "$DB" \
  "Fix the race condition in the worker pool: two threads update the shared counter without a lock, so increments are lost."
