"""The Model Grader's JavaScript gives `routr recommend`'s answer, text for text.

The grader runs a port of the classifier and of ``recommend`` in the browser. Here the
same port runs in Node over the JSON the build writes, for many descriptions, and every
answer is compared with Python's ``recommend(...).as_json()`` on the same leaderboard:
categories and weights, language, evidence, notes, and each pick's numbers and reasons.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import subprocess
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from routr_cli.ranking import attempt_frame_from_rows, recommend, standings
from routr_cli.site.inputs import SiteData, SiteOptions
from routr_cli.site.plan import SiteFacts
from routr_cli.site.plan_extra import grader_data

NODE = shutil.which("node")
GRADER_JS = resources.files("routr_cli.site").joinpath("grader/grader.js")

TEXTS = [
    "fix a data race in a Go worker pool",
    "The CSV export truncates unicode names; the totals are off by one",
    "add a --dry-run flag to the deploy command",
    "Refactor the 400-line handle_request function into smaller pieces without changing behaviour",
    "our API is slow: p99 latency went from 80 ms to 2 seconds after the ORM upgrade",
    "migrate from the deprecated requests API to httpx",
    "SQL injection in the search endpoint; sanitize user input",
    "parse the sales CSV and compute a rollup per region with pandas",
    "Make the JavaScript promise chain use async/await (callbacks are deprecated)",
    "deadlock when two goroutines lock the mutex in a different order",
    "",
    "   ",
    "hello",
    "a b c d e f g",
    "fix",
    "PERFORMANCE!!! quadratic loop in parse_rows() makes imports take minutes",
    "Implement rate limiting per API key in the Express middleware (camelCase everywhere)",
    "go: http.HandleFunc returns ErrNotFound for valid paths after the router refactor",
    "Python decorator @retry swallows exceptions; fix it and add tests",
    "unicode: naïve café façade — résumé parsing fails",
    "<script>alert(1)</script> refactor the renderer",
    "concurrency bug: the cache is not thread safe under load and races on writes",
    "Upgrade from optparse to argparse and keep the same flags",
    "The webhook signature check compares with == (timing attack); use hmac.compare_digest",
    "support pagination in the /users endpoint with cursor tokens",
]


def _random_texts(n: int, seed: int) -> list[str]:
    """Descriptions stitched from the classifier's own vocabulary, with code shapes."""
    from routr_cli.ranking import classifier_model

    model = classifier_model()
    words = sorted(
        {w.replace("_", " ") for table in model["categories"].values() for w in table}
        | {w.replace("_", " ") for table in model["languages"].values() for w in table}
    )
    extra = ["parse_rows", "getUserName", "http.Handler", "ErrClosed", "@cache", "the", "and"]
    rng = random.Random(seed)
    return [
        " ".join(rng.choice(words + extra) for _ in range(rng.randint(1, 14))) for _ in range(n)
    ]


def _frame(seed: int = 3) -> Any:
    """Attempts of five models on 48 tasks in 8 categories and 3 languages, 2 epochs."""
    rng = random.Random(seed)
    categories = [
        "bugfix", "feature", "refactor", "performance", "api-migration", "concurrency",
        "data-processing", "security",
    ]  # fmt: skip
    skill = {"a/strong": 0.8, "b/good": 0.65, "c/mid": 0.5, "d/cheap": 0.45, "sim/weak": 0.2}
    price = {"a/strong": 0.05, "b/good": 0.02, "c/mid": 0.01, "d/cheap": 0.001, "sim/weak": 0.0}
    rows = []
    for t in range(48):
        category = categories[t % 8]
        language = ("python", "go", "javascript")[t % 3]
        for model, p in skill.items():
            if model == "c/mid" and category == "security":
                continue  # a model with no data in one category: recommend falls back
            for epoch in range(2):
                solved = rng.random() < p
                rows.append(
                    {
                        "model": model, "simulated": model.startswith("sim/"),
                        "task_id": f"t{t:02d}", "task_hash": f"h{t:02d}", "category": category,
                        "language": language, "difficulty": "medium", "family": f"t{t:02d}",
                        "solver": "edit", "epoch": epoch,
                        "status": "solved" if solved else "tests_failed", "solved": solved,
                        "reason": None if solved else "tests_failed", "suspect": False,
                        "cost_usd": price[model], "latency_s": 1.0 + rng.random() * 9,
                        "input_tokens": 1000, "output_tokens": 200,
                        "finished_at": f"2026-11-30T10:{t:02d}:00",
                    }
                )  # fmt: skip
    return attempt_frame_from_rows(rows)


def _normal(value: Any) -> Any:
    """JSON as compared: NaN as None (JSON has no NaN), tuples as lists."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normal(v) for v in value]
    return value


def _run_node(data: dict[str, Any], texts: list[str], tmp_path: Path) -> list[dict[str, Any]]:
    assert NODE is not None
    (tmp_path / "data.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "texts.json").write_text(json.dumps(texts), encoding="utf-8")
    script = (
        "const g = require(process.argv[1]);"
        "const fs = require('fs');"
        "const data = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));"
        "const texts = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));"
        "const out = texts.map(t => g.recommend(data, t, 3));"
        "process.stdout.write(JSON.stringify(out, (k, v) => Number.isNaN(v) ? null : v));"
    )
    done = subprocess.run(
        [
            NODE,
            "-e",
            script,
            str(GRADER_JS),
            str(tmp_path / "data.json"),
            str(tmp_path / "texts.json"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def board() -> Any:
    return standings(_frame(), draws=300, seed=0, languages=True)


def _site_json(board: Any) -> dict[str, Any]:
    from routr_cli.ranking import classifier_model

    facts = SiteFacts(
        SiteData(
            leaderboard=board, comparisons=(), tasks={}, outcomes={}, classifier=classifier_model()
        ),
        SiteOptions(),
    )
    data = grader_data(facts)
    assert data is not None
    # Through JSON text, as the browser receives it.
    return json.loads(json.dumps(data, allow_nan=False))


@pytest.mark.skipif(NODE is None, reason="node is part of the test toolchain")
def test_the_grader_answers_exactly_as_recommend_on_many_descriptions(
    board: Any, tmp_path: Path
) -> None:
    texts = TEXTS + _random_texts(150, seed=11)
    expected = [_normal(recommend(text, board).as_json()) for text in texts]
    got = _run_node(_site_json(board), texts, tmp_path)
    mismatches = [(text, e, g) for text, e, g in zip(texts, expected, got, strict=True) if e != g]
    assert mismatches == [], mismatches[:2]
    # Not vacuous: the texts reach every kind of answer.
    assert sum(1 for e in expected if e["fallback"]) >= 2
    assert sum(1 for e in expected if not e["fallback"]) >= 20
    assert any(e["language"] for e in expected) and any(not e["language"] for e in expected)
    assert any(any(p["tied_with_first"] for p in e["recommendations"]) for e in expected)
    reasons = [r for e in expected for p in e["recommendations"] for r in p["reasons"]]
    assert any("overall (no security data)" in r for r in reasons)
    assert any(" on go tasks, n=" in r for r in reasons)  # the language slice's own line


@pytest.mark.skipif(NODE is None, reason="node is part of the test toolchain")
def test_the_comparison_would_catch_a_port_that_drifts(board: Any, tmp_path: Path) -> None:
    # Control: change one number the port reads and answers stop matching.
    data = _site_json(board)
    data["classifier"]["params"]["similarity_weight"] = 7.5
    texts = TEXTS[:10]
    expected = [_normal(recommend(text, board).as_json()) for text in texts]
    assert _run_node(data, texts, tmp_path) != expected


@pytest.mark.skipif(NODE is None, reason="node is part of the test toolchain")
def test_numbers_are_formatted_as_python_formats_them(tmp_path: Path) -> None:
    values = [0.125, 12.5, 0.5, 1.5, 2.5, 0.03125, 0.00015, 1e-05, 99.95, 0.0, 123.456, 0.045]
    script = (
        "const g = require(process.argv[1]);"
        "const vs = JSON.parse(process.argv[2]);"
        "process.stdout.write(JSON.stringify(vs.map(v => [0, 1, 4].map(d => g.pyFixed(v, d)))));"
    )
    done = subprocess.run(
        [str(NODE), "-e", script, str(GRADER_JS), json.dumps(values)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert json.loads(done.stdout) == [[f"{v:.{d}f}" for d in (0, 1, 4)] for v in values]
    # Control: JavaScript's own toFixed rounds ties the other way.
    plain = subprocess.run(
        [str(NODE), "-e", "process.stdout.write((12.5).toFixed(0))"],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert plain.stdout == "13" and f"{12.5:.0f}" == "12"
