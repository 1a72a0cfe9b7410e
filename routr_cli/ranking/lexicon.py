"""The classifier's hand-written vocabulary: which words point at which category or
language, and how strongly. Plain data, exported as-is in ``classifier_model()`` so the
site's JavaScript port reads the same numbers.

Weights are small integers and halves (exact in binary floating point) so sums come out
identical in Python and JavaScript. Multi-word cues are bigrams joined with ``_``
(``data race`` -> ``data_race``). Written from how people describe coding work, not
copied from the bundled prompts (the leave-one-out figure would otherwise flatter it).
"""

from __future__ import annotations

CATEGORY_TERMS: dict[str, dict[str, float]] = {
    "bugfix": {
        "bug": 2, "bugs": 2, "fix": 1, "broken": 1, "wrong": 1.5, "incorrect": 1.5,
        "crash": 1.5, "crashes": 1.5, "regression": 2, "fails": 1, "failing": 1,
        "truncated": 1.5, "off_by": 2, "mismatch": 1, "typo": 1.5, "edge_case": 1.5,
        "should": 0.5, "instead": 0.5, "expected": 0.5, "unexpected": 1, "breaks": 1,
    },
    "feature": {
        "add": 1.5, "feature": 2.5, "support": 1, "new": 1, "implement": 1.5, "option": 1,
        "allow": 1, "let": 0.5, "want": 0.5, "endpoint": 1, "command": 0.5, "flag": 1,
        "ability": 1.5, "extend": 1.5, "introduce": 1, "please_add": 2, "configurable": 1.5,
        "runtime": 0.5, "percentage": 0.5, "filters": 0.5, "filter": 0.5,
    },
    "refactor": {
        "refactor": 3, "refactoring": 3, "split": 1.5, "extract": 2, "cleanup": 2,
        "clean_up": 2, "duplicate": 1, "duplicated": 1.5, "duplication": 2, "restructure": 2,
        "pluggable": 2, "plugin": 1.5, "plugins": 1.5, "modular": 1.5, "simplify": 1.5,
        "rename": 1.5, "readable": 1.5, "maintainable": 1.5, "long_function": 2,
        "reuse": 1, "interface": 1, "registry": 1, "without_changing": 2, "unchanged": 1,
        "abstraction": 1.5, "hard_coded": 1.5, "hardcoded": 1.5, "sinks": 1, "separate": 1,
    },
    "performance": {
        "slow": 2.5, "slower": 2.5, "performance": 3, "perf": 3, "fast": 1.5, "faster": 2,
        "latency": 2, "p99": 2, "quadratic": 3, "speed": 2, "optimize": 2.5, "optimise": 2.5,
        "memory": 1, "cpu": 1.5, "profile": 1.5, "profiles": 1.5, "profiling": 1.5,
        "hangs": 1, "throughput": 2, "milliseconds": 1, "ms": 1, "scale": 1, "scales": 1,
        "large": 1, "big": 0.5, "minutes": 1, "seconds": 0.5, "benchmark": 2, "cache": 1,
        "complexity": 1.5, "efficient": 2, "recursionerror": 1.5, "index": 0.5,
    },
    "api-migration": {
        "migrate": 3, "migration": 3, "port": 2, "deprecated": 2.5, "deprecation": 2.5,
        "deprecationwarning": 3, "legacy": 2, "upgrade": 2, "v2": 1.5, "v1": 1, "api": 1,
        "callbacks": 1.5, "callback": 1.5, "promises": 1.5, "argparse": 1.5,
        "optparse": 1.5, "removed": 1, "replace": 0.5, "move_off": 2, "new_api": 2,
        "sdk": 1, "library": 0.5, "client": 0.5, "version": 0.5, "breaking": 0.5,
    },
    "concurrency": {
        "race": 3, "data_race": 4, "race_condition": 4, "concurrent": 3, "concurrency": 3,
        "concurrently": 3, "thread": 2.5, "threads": 2.5, "threading": 2.5, "goroutine": 3,
        "goroutines": 3, "deadlock": 3, "deadlocks": 3, "lock": 2, "locks": 2, "mutex": 3,
        "async": 1, "worker": 1.5, "workers": 1.5, "worker_pool": 3, "pool": 1.5,
        "parallel": 2, "atomic": 2, "synchronization": 2, "waitgroup": 3, "channel": 1.5,
        "channels": 1.5, "cancellation": 2, "cancel": 1, "freeze": 1.5, "blocked": 1.5,
        "semaphore": 3, "twice": 1, "leak": 1, "leaks": 1, "simultaneous": 2,
    },
    "data-processing": {
        "csv": 3, "etl": 3, "parse": 1, "parsing": 1, "report": 1.5, "reports": 1.5,
        "rollup": 2.5, "aggregate": 2.5, "aggregation": 2.5, "totals": 2, "total": 1,
        "sum": 1, "export": 2, "exports": 2, "records": 1.5, "rows": 1.5, "columns": 1.5,
        "json": 1, "ledger": 1.5, "pipeline": 1.5, "transform": 2, "dedupe": 2,
        "timezone": 1.5, "dates": 1, "rounding": 1, "cents": 1, "events": 1, "replay": 1.5,
        "data": 1.5, "dataset": 2, "buckets": 1.5, "metrics": 1.5, "spreadsheet": 2,
        "reconciliation": 2, "duplicates": 1, "inventory": 1, "histogram": 1.5,
    },
    "security": {
        "security": 3, "vulnerability": 3, "vulnerable": 3, "injection": 3,
        "sql_injection": 4, "xss": 3, "csrf": 3, "traversal": 3, "path_traversal": 4,
        "forged": 3, "forgery": 3, "forge": 3, "signature": 2, "auth": 2,
        "authentication": 2, "authorization": 2, "token": 1.5, "tokens": 1.5, "secret": 2,
        "password": 1.5, "sanitize": 2.5, "sanitise": 2.5, "escape": 1.5, "exploit": 3,
        "attacker": 3, "malicious": 3, "pollution": 2.5, "prototype_pollution": 4, "cve": 3,
        "hmac": 3, "crypto": 2, "encrypt": 2, "penetration": 3, "untrusted": 2.5,
        "permissions": 1.5, "crafted": 2, "leak_secrets": 3,
    },
}  # fmt: skip

LANGUAGE_TERMS: dict[str, dict[str, float]] = {
    "python": {
        "python": 3, "py": 2, "pytest": 2, "django": 2, "flask": 2, "fastapi": 2, "pip": 1.5,
        "asyncio": 2, "def": 1, "pandas": 1.5, "numpy": 1.5, "pydantic": 2, "dataclass": 1.5,
        "argparse": 1.5, "typeerror": 1, "valueerror": 1.5, "deprecationwarning": 1.5, "traceback": 1.5, "keyerror": 1.5, "init": 0.5,
        "self": 0.5, "none": 0.5, "dict": 1, "recursionerror": 1.5,
    },
    "javascript": {
        "javascript": 3, "js": 2, "mjs": 3, "cjs": 2, "node": 1.5, "nodejs": 3, "npm": 2,
        "typescript": 2, "ts": 1, "react": 2, "express": 1.5, "promise": 1, "const": 1,
        "undefined": 1.5, "require": 1, "json": 0.5, "vitest": 2, "jest": 2, "esm": 2,
    },
    "go": {
        "go": 1.5, "golang": 3, "goroutine": 3, "goroutines": 3, "gofmt": 3, "chan": 2,
        "func": 1.5, "struct": 1, "waitgroup": 2, "errgroup": 2, "nil": 1, "go_test": 2,
        "go_run": 2, "gomod": 2, "slice": 0.5, "defer": 1.5,
    },
}  # fmt: skip

# Words that carry no topic (dropped before the prompt similarity; lexicon cues stay).
STOPWORDS = frozenset(
    """a about above after again all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers him his how i if in into is it its
    itself just me more most my no nor not now of off on once only or other our ours out
    over own same she should so some such than that the their theirs them then there
    these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours we us one two three get gets
    got make makes made like e g eg ie etc use used uses using""".split()  # noqa: SIM905
)  # fmt: skip

# Spellings folded onto one term before lookup.
SYNONYMS: dict[str, str] = {
    "golang": "golang", "nodejs": "nodejs", "node.js": "nodejs", "ecmascript": "javascript",
    "optimization": "optimise", "optimisation": "optimise", "optimize": "optimise",
    "optimized": "optimise", "optimised": "optimise", "migrating": "migrate",
    "migrated": "migrate", "refactored": "refactor", "refactors": "refactor",
    "racy": "race", "races": "race", "deadlocked": "deadlock", "threaded": "thread",
    "vulnerabilities": "vulnerability", "sanitized": "sanitize", "sanitised": "sanitise",
    "sanitizing": "sanitize", "slowly": "slow", "slowness": "slow", "speedup": "speed",
    "deprecations": "deprecation", "upgrading": "upgrade", "forging": "forge",
    "aggregating": "aggregate", "aggregates": "aggregate", "exporting": "export",
    "crashing": "crash", "crashed": "crash", "parallelism": "parallel",
    "parallelize": "parallel", "concurrently": "concurrent", "locking": "lock",
    "locked": "lock",
}  # fmt: skip
