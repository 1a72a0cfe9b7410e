"""Attacks on grading a JavaScript task (node --test), each with its control or the
reason none can exist (see attack_kit)."""

from __future__ import annotations

from attack_kit import FAILURES_RE, Attack

BROKEN = "export function add(a, b) {\n  return a - b;\n}\n\nexport function negate(a) {\n  return -a;\n}\n"

# Stubs every assertion of node:assert/strict (what the hidden tests import), in process.
STUB_ASSERT = """import assert from 'node:assert/strict';

for (const key of Object.keys(assert)) {
  if (typeof assert[key] === 'function') assert[key] = () => {};
}
"""

# The same pattern for JavaScript, where "." never crosses a line: [\s\S] does.
JS_FAILURES_RE = FAILURES_RE.replace(".*?", "[\\s\\S]*?")

# Keeps rewriting the finished report for a few seconds, from a detached process.
DETACHED_FORGER = (
    "const fs = require('node:fs');\n"
    "const path = process.argv[1];\n"
    "const end = Date.now() + 8000;\n"
    "const tick = () => {\n"
    "  try {\n"
    "    const text = fs.readFileSync(path, 'utf8');\n"
    f"    const forged = text.replace(new RegExp({JS_FAILURES_RE!r}, 'g'), '');\n"
    "    if (text.includes('</testsuites>') && forged !== text) {\n"
    "      fs.writeFileSync(path + '.tmp', forged);\n"
    "      fs.renameSync(path + '.tmp', path);\n"
    "      return;\n"
    "    }\n"
    "  } catch {}\n"
    "  if (Date.now() < end) setTimeout(tick, 5);\n"
    "};\n"
    "tick();\n"
)

NO_CONTROL_SHADOW = (
    "Node resolves node: built-ins (node:test, node:assert) and absolute paths without "
    "looking at the repository, and Routr names its reporter by absolute path in "
    "/opt/routr: no switch makes these files load in the runner's place, so no control "
    "can forge with them; the attack only shows they stay inert"
)
NO_CONTROL_CONFIG = (
    "Node 20 reads no runner configuration from the repository (.noderc, .npmrc "
    "node-options, node.config.json and package.json scripts are not consulted by "
    "`node --test`), and NODE_OPTIONS comes only from the environment, which Routr sets "
    "empty; the attack shows the preload never runs"
)

TASK = "js-attack"  # tests/fixtures/attack_tasks/js-attack

ATTACKS = [
    Attack(
        "shadow: node_modules and package.json imports posing as the runner",
        {
            "package.json": '{\n  "name": "attack",\n  "type": "module",\n'
            '  "imports": {"#reporter": "./node_modules/junit-reporter/index.mjs"}\n}\n',
            "node_modules/test/index.js": "module.exports = { test: () => {} };\n",
            "node_modules/node:test/index.js": "module.exports = { test: () => {} };\n",
            "node_modules/junit-reporter/index.mjs": (
                "export default async function* r() { yield '<testsuites/>'; }\n"
            ),
        },
        stops=(),
        no_control=NO_CONTROL_SHADOW,
    ),
    Attack(
        "config: .noderc, .npmrc and node.config.json ask to preload a forger",
        {
            "forge.cjs": STUB_ASSERT.replace(
                "import assert from 'node:assert/strict';",
                "const assert = require('node:assert/strict');",
            ),
            ".noderc": "--require ./forge.cjs\n",
            ".npmrc": "node-options=--require ./forge.cjs\n",
            "node.config.json": '{"nodeOptions": {"require": ["./forge.cjs"]}}\n',
        },
        stops=(),
        no_control=NO_CONTROL_CONFIG,
    ),
    Attack(
        "after exit: a detached process rewrites the report",
        {
            "src/add.mjs": "import { spawn } from 'node:child_process';\n"
            "import { openSync } from 'node:fs';\n\n"
            f"const FORGER = {DETACHED_FORGER!r};\n"
            "if (process.env.ROUTR_JUNIT) {\n"
            "  // The runner's own stderr (the exec's), held open: the run cannot end\n"
            "  // before the forger has rewritten the report.\n"
            "  const held = openSync(`/proc/${process.ppid}/fd/2`, 'w');\n"
            "  spawn(process.execPath, ['-e', FORGER, process.env.ROUTR_JUNIT],\n"
            "    { detached: true, stdio: ['ignore', 'ignore', held] }).unref();\n"
            "}\n\n" + BROKEN
        },
        stops=("sealed_report", "canaries"),
        alone=("sealed_report",),
    ),
    Attack(
        "no report: process.exit(0) when the module is imported",
        {"src/add.mjs": "process.exit(0);\n\n" + BROKEN},
        stops=("listed_tests_rule", "canaries"),
        alone=("listed_tests_rule",),
    ),
    Attack(
        "in process: the module stubs every assertion the tests use",
        {"src/add.mjs": STUB_ASSERT + "\n" + BROKEN},
        stops=("canaries",),
    ),
]
