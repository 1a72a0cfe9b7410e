"""`routr site build` and `routr site serve` on a real database, as a user runs them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from importlib import resources
from pathlib import Path

import pytest
import site_checks
import site_db
from routr_cli_runner import run_routr

BASE = "https://example.org/routr/"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return site_db.make_db(tmp_path_factory.mktemp("db") / "results.duckdb")


@pytest.fixture(scope="module")
def site(db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("site") / "site"
    done = run_routr(
        "site", "build", "--db", db, "--out", out, "--base-url", BASE, "--draws", "200"
    )
    assert done.returncode == 0, done.stderr
    return out, done.stdout


def test_the_built_site_links_parse_and_label_simulated_data(site: tuple[Path, str]) -> None:
    out, stdout = site
    assert "pages (0 indexable" in stdout  # simulated models: nothing offered to search engines
    pages = site_checks.parse_site(out)
    assert len(pages) > 60
    assert site_checks.check_links(out, pages, BASE) == []
    for path, page in pages.items():
        assert page.errors == [], path
        assert "Simulated data." in page.text, path
        assert page.meta["robots"].startswith("noindex"), path
    assert "sim/frontier (simulated)" in pages["index.html"].text
    method = pages["methodology/index.html"].text
    assert "The task bootstrap" in method and "Threat model" in method  # both documents
    names = [
        "leaderboard",
        "comparisons",
        *(f"attempts/{m.replace('/', '-')}" for m in site_db.MODELS),
    ]
    for name in names:
        for fmt in ("csv", "parquet", "json"):
            assert (out / "downloads" / f"{name}.{fmt}").stat().st_size > 100, (name, fmt)
    # A model's attempt file holds that model's rows only: 16 tasks x 2 epochs, and a header.
    lines = (out / "downloads/attempts/sim-frontier.csv").read_text().splitlines()
    assert len(lines) == 33 and all(line.startswith("sim/frontier,") for line in lines[1:])
    assert json.loads((out / "downloads/tasks.json").read_text())[0]["task_id"]
    # The files are written while the pages render; the pages that show sizes have theirs.
    for name in ("comparisons.csv", "attempts/sim-frontier.json"):
        size = (out / "downloads" / name).stat().st_size
        assert f"{round(size / 1024, 1)} KiB" in pages["downloads/index.html"].text, name


def test_pair_pages_show_the_tasks_needed_their_comparison_carries(
    site: tuple[Path, str],
) -> None:
    # compare --all decides at the BH q; the page's table and its verdict sentence must
    # both follow the comparison's tasks_needed (at that level): "about N more" is
    # tasks_needed - n_shared, never a clamped 1 beside a count already within n.
    from routr_cli.site.formatting import model_slugs, slugify

    out, _ = site
    pages = site_checks.parse_site(out)
    slugs = model_slugs(site_db.MODELS)
    rows = json.loads((out / "downloads/comparisons.json").read_text())
    counted = 0
    for c in rows:
        first, second = sorted((slugs[c["a"]], slugs[c["b"]]))
        path = f"compare/{first}-vs-{second}/"
        path += "index.html" if c["category"] == "all" else f"{slugify(c['category'])}/index.html"
        text = pages[path].text
        needed = "–" if c["tasks_needed"] is None else str(c["tasks_needed"])
        assert f"Tasks needed to tell them apart {needed} " in text, path
        assert c["verdict"] in text, path
        more = re.search(r"about (\d+) more shared tasks? needed", c["verdict"])
        if more is not None:
            counted += 1
            assert int(more.group(1)) == c["tasks_needed"] - c["n_shared"] > 0, path
    assert counted > 10


def test_task_pages_show_prompts_but_never_hidden_tests_or_the_reference(
    site: tuple[Path, str],
) -> None:
    out, _ = site
    texts = {p: p.read_bytes().decode("utf-8", "replace") for p in out.rglob("*") if p.is_file()}
    published = "\n".join(texts.values())
    checked = 0
    for task in site_db.bundled_sample():
        prompt_lines = {line.strip() for line in task.prompt.splitlines()}
        repo = "\n".join(task.repo_files().values())
        secret_files = [*task.test_files().values()]
        secret_files += [text for text in task.solution_change().values() if text]
        for text in secret_files:
            for line in text.splitlines():
                line = line.strip()
                if len(line) >= 30 and line not in repo and line not in prompt_lines:
                    checked += 1
                    assert line not in published, (task.id, line)
        # Control: the prompt itself is published, so the search above can find text.
        page = (out / "tasks" / task.id / "index.html").read_text()
        first = next(line for line in task.prompt.splitlines() if len(line.strip()) > 30)
        assert first.split()[2] in page
    assert checked > 100


def test_a_second_build_rewrites_nothing_and_gives_the_same_bytes(
    site: tuple[Path, str], db: Path, tmp_path: Path
) -> None:
    out, _ = site
    before = site_checks.tree_bytes(out)
    again = run_routr(
        "site", "build", "--db", db, "--out", out, "--base-url", BASE, "--draws", "200"
    )
    assert again.returncode == 0, again.stderr
    assert "rewrote 0 of" in again.stdout
    assert site_checks.tree_bytes(out) == before
    # Another process (another str hash seed) finds the same fingerprints: every pair,
    # task and model page is kept without rendering; the site-wide pages are rendered.
    tracked = [
        p for p in before
        if p.endswith(".html") and p.count("/") >= 2 and p.startswith(("compare/", "tasks/", "models/"))
    ]  # fmt: skip
    pages = sum(1 for p in before if p.endswith(".html"))
    assert f"rendered {pages - len(tracked)}," in again.stdout, again.stdout
    fresh = tmp_path / "fresh"
    other = run_routr(
        "site", "build", "--db", db, "--out", fresh, "--base-url", BASE, "--draws", "200"
    )
    assert other.returncode == 0, other.stderr
    assert site_checks.tree_bytes(fresh) == before


def test_bad_input_is_one_line_naming_the_fix(tmp_path: Path, db: Path) -> None:
    missing = run_routr("site", "build", "--db", tmp_path / "none.duckdb", "--out", tmp_path / "s")
    assert missing.returncode != 0 and missing.stderr.count("\n") == 1
    assert not (tmp_path / "s").exists()  # nothing written for a build that cannot start
    assert "run `routr bench` first or pass --db" in missing.stderr
    relative = run_routr(
        "site", "build", "--db", db, "--out", tmp_path / "s", "--base-url", "example.org"
    )
    assert relative.returncode == 2 and "is not absolute" in relative.stderr
    nothing = run_routr("site", "serve", "--dir", tmp_path / "empty")
    assert nothing.returncode == 2 and "run `routr site build" in nothing.stderr
    from routr_cli.store import Store

    Store.open(tmp_path / "empty.duckdb").close()  # a database without attempts
    empty = run_routr("site", "build", "--db", tmp_path / "empty.duckdb", "--out", tmp_path / "e")
    # the statistics' own error, raised from their process as it is, on one line
    assert empty.returncode == 2 and empty.stderr.count("\n") == 1, empty.stderr
    assert empty.stderr.startswith("error: no attempts in ")
    assert empty.stderr.rstrip().endswith("run `routr bench -m MODEL` first")


def test_serve_binds_loopback_and_answers_missing_pages_with_the_404_page(
    site: tuple[Path, str],
) -> None:
    out, _ = site
    with site_db.serving(out) as url:
        with urllib.request.urlopen(url, timeout=10) as answer:
            assert b"<h1>Which coding model should you use?</h1>" in answer.read()
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(url + "no/such/page/", timeout=10)
        assert missing.value.code == 404 and b"Page not found" in missing.value.read()


@pytest.mark.skipif(shutil.which("node") is None, reason="node is part of the test toolchain")
def test_the_built_grader_answers_as_routr_recommend_json(site: tuple[Path, str], db: Path) -> None:
    out, _ = site
    texts = [
        "fix a data race in a Go worker pool",
        "the CSV report double counts refunds",
        "migrate the client from callbacks to promises",
        "speed up the slow quadratic dedupe",
    ]
    grader = resources.files("routr_cli.site").joinpath("grader/grader.js")
    script = (
        "const g = require(process.argv[1]);"
        "const d = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));"
        "process.stdout.write(JSON.stringify(JSON.parse(process.argv[3]).map(t => g.recommend(d, t, 3))));"
    )
    node = subprocess.run(
        ["node", "-e", script, str(grader), str(out / "grader/model.json"), json.dumps(texts)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    answers = json.loads(node.stdout)
    for text, answer in zip(texts, answers, strict=True):
        cli = run_routr("recommend", text, "--json", "--db", db, "--draws", "200")
        assert cli.returncode == 0, cli.stderr
        assert answer == json.loads(cli.stdout), text
    assert len({a["recommendations"][0]["model"] for a in answers} | {"x"}) >= 2
    assert sys.executable  # the CLI runs the same interpreter's routr
