"""The ``node`` and ``go`` sandbox images produce JUnit reports Routr can read.

Each image documents one grade command in its README (sandboxes/<image>/README.md);
the bundled JavaScript and Go tasks use exactly that command, and here it runs in the
real image on small projects: passing, failing, nested and broken tests must all come
back from ``parse_junit`` with the documented ids, and a broken build or test file must
never produce an empty report.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from routr_cli.errors import SandboxUnavailable
from routr_cli.grading import model
from routr_cli.grading.junit import parse_junit
from routr_cli.sandbox.base import ExecResult, Sandbox, SandboxSpec
from routr_cli.tasks.model import Limits

ROOT = Path(__file__).resolve().parents[2]
JUNIT = "/tmp/routr-junit.xml"
LIMITS = Limits(cpus=1.0, memory_mb=1024, pids=256)
LANGUAGE_IMAGE = {"javascript": "node", "go": "go"}


def documented_command(image: str) -> str:
    """The grade command a sandbox README documents (its ```toml block)."""
    readme = (ROOT / "sandboxes" / image / "README.md").read_text(encoding="utf-8")
    match = re.search(r'^command = "(.+)"$', readme, re.MULTILINE)
    assert match, f"sandboxes/{image}/README.md documents no grade command"
    return match.group(1)


def bundled_tasks(language: str) -> list[tuple[str, str]]:
    """(task id, grade command) of every bundled task in ``language``."""
    found = []
    for toml_path in sorted((ROOT / "tasks").glob("*/task.toml")):
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        if data.get("language") == language:
            found.append((data["id"], data["grade"]["command"]))
    return found


@pytest.mark.parametrize("language", sorted(LANGUAGE_IMAGE))
def test_bundled_tasks_use_the_documented_command(language: str) -> None:
    tasks = bundled_tasks(language)
    assert len(tasks) >= 6, f"expected the bundled {language} tasks, found {len(tasks)}"
    command = documented_command(LANGUAGE_IMAGE[language])
    assert [task_id for task_id, used in tasks if used != command] == []


def by_id(outcomes: list[model.TestOutcome]) -> dict[str, str]:
    return {outcome.id: outcome.outcome for outcome in outcomes}


def grade(
    sandbox: Sandbox, files: dict[str, str], command: str
) -> tuple[ExecResult, list[model.TestOutcome]]:
    sandbox.write_files(dict[str, str | bytes](files))
    run = sandbox.exec(command, timeout=120, env={"ROUTR_JUNIT": JUNIT})
    return run, parse_junit(sandbox.read_file(JUNIT))


@pytest.fixture(scope="module")
def backend() -> Iterator[object]:
    from routr_cli.sandbox.docker_backend import DockerBackend

    docker_backend = DockerBackend()
    try:
        for image in LANGUAGE_IMAGE.values():
            docker_backend.image_tag(image)  # fail now, with the fix, if not built
    except SandboxUnavailable as exc:
        pytest.fail(f"sandbox images unavailable: {exc}", pytrace=False)
    yield docker_backend


NODE_PROJECT = {
    "package.json": '{"type": "module"}\n',
    "src/math.mjs": "export const add = (a, b) => a + b;\n",
    "tests/math.test.mjs": (
        "import { describe, test } from 'node:test';\n"
        "import assert from 'node:assert/strict';\n"
        "import { add } from '../src/math.mjs';\n"
        "describe('add', () => {\n"
        "  test('small numbers', () => assert.equal(add(1, 2), 3));\n"
        "  describe('edge', () => {\n"
        "    test('wrong on purpose', () => assert.equal(add(2, 2), 5));\n"
        "  });\n"
        "});\n"
        "test('top level', () => {});\n"
        "test('later', { skip: true }, () => {});\n"
    ),
    "tests/other.test.cjs": (
        "const { test } = require('node:test');\n"
        "test('small numbers', () => {});\n"  # same name as in math.test.mjs: ids differ by file
    ),
    "tests/broken.test.mjs": "import { nothing } from '../src/missing.mjs';\n",
    "tests/helpers.mjs": "throw new Error('helpers are not test files');\n",
}


@pytest.mark.docker
def test_node_image_reports_every_test_with_file_scoped_ids(backend: object) -> None:
    from routr_cli.sandbox.docker_backend import DockerBackend

    assert isinstance(backend, DockerBackend)
    with backend.open(SandboxSpec("node", LIMITS)) as sandbox:
        run, outcomes = grade(sandbox, NODE_PROJECT, documented_command("node"))
    assert run.exit_code == 1, run.stdout + run.stderr
    assert by_id(outcomes) == {
        "tests/math.test.mjs::add > small numbers": "passed",
        "tests/math.test.mjs::add > edge > wrong on purpose": "failed",
        "tests/math.test.mjs::top level": "passed",
        "tests/math.test.mjs::later": "skipped",
        "tests/other.test.cjs::small numbers": "passed",
        "tests/broken.test.mjs::(file)": "failed",
    }
    failures = {o.id: o.message for o in outcomes if o.outcome == "failed"}
    assert "4 !== 5" in failures["tests/math.test.mjs::add > edge > wrong on purpose"]
    assert "wrong on purpose" in run.stdout  # the spec reporter's human output


GO_PROJECT = {
    "go.mod": "module example.com/demo\n\ngo 1.22\n",
    "calc/calc.go": "package calc\n\nfunc Add(a, b int) int { return a + b }\n",
    "broken/broken.go": "package broken\n\nfunc Three() int { return 3 }\n",
    "tests/calc/calc_test.go": (
        "package calc\n\n"
        'import "testing"\n\n'
        "func TestAdd(t *testing.T) {\n"
        '\tt.Run("small", func(t *testing.T) {\n'
        "\t\tif Add(1, 2) != 3 {\n"
        '\t\t\tt.Fatal("1+2")\n'
        "\t\t}\n"
        "\t})\n"
        '\tt.Run("wrong on purpose", func(t *testing.T) {\n'
        "\t\tif Add(2, 2) != 5 {\n"
        '\t\t\tt.Errorf("got %d, want 5", Add(2, 2))\n'
        "\t\t}\n"
        "\t})\n"
        "}\n\n"
        'func TestLater(t *testing.T) { t.Skip("not yet") }\n'
    ),
    "tests/broken/broken_test.go": (
        'package broken\n\nimport "testing"\n\n'
        "func TestThree(t *testing.T) { var s string = Three(); _ = s }\n"
    ),
}


@pytest.mark.docker
def test_go_image_reports_subtests_and_build_failures(backend: object) -> None:
    from routr_cli.sandbox.docker_backend import DockerBackend

    assert isinstance(backend, DockerBackend)
    with backend.open(SandboxSpec("go", LIMITS)) as sandbox:
        run, outcomes = grade(sandbox, GO_PROJECT, documented_command("go"))
        leftover = sandbox.exec("test -e /work/tests && echo present || echo gone", timeout=30)
    assert run.exit_code not in (0, None), run.stdout + run.stderr
    assert by_id(outcomes) == {
        "example.com/demo/calc::TestAdd": "failed",
        "example.com/demo/calc::TestAdd/small": "passed",
        "example.com/demo/calc::TestAdd/wrong_on_purpose": "failed",
        "example.com/demo/calc::TestLater": "skipped",
        "example.com/demo/broken::(package)": "error",
    }
    messages = {o.id: o.message for o in outcomes}
    assert "got 4, want 5" in messages["example.com/demo/calc::TestAdd/wrong_on_purpose"]
    assert "build failed" in messages["example.com/demo/broken::(package)"]
    assert leftover.stdout.strip() == "gone"  # tests/ moved into the packages


@pytest.mark.docker
def test_go_image_reuses_the_prebuilt_standard_library(backend: object) -> None:
    """Only the project's own packages compile: the std cache baked into the image is used."""
    from routr_cli.sandbox.docker_backend import DockerBackend

    assert isinstance(backend, DockerBackend)
    project = {path: text for path, text in GO_PROJECT.items() if "broken" not in path}
    command = documented_command("go").replace(
        "go test -json", "go test -x -json"
    )  # -x lists every compile on stderr
    with backend.open(SandboxSpec("go", LIMITS)) as sandbox:
        run, outcomes = grade(sandbox, project, command)
    # Go 1.24 puts -x lines in the JSON stream (go-junit echoes them to stdout).
    log = run.stdout + run.stderr
    compiled = set(re.findall(r"/compile .*?-p (\S+)", log))
    assert compiled, log[-2000:]
    assert compiled <= {"example.com/demo/calc", "example.com/demo/calc.test", "main"}, compiled
    assert by_id(outcomes)["example.com/demo/calc::TestAdd/small"] == "passed"


@pytest.mark.docker
def test_go_image_reports_a_run_without_test_events(backend: object) -> None:
    """A command that never gets to run tests (no go.mod) is an error case, not an empty report."""
    from routr_cli.sandbox.docker_backend import DockerBackend

    assert isinstance(backend, DockerBackend)
    project = {"tests/x_test.go": "package x\n"}
    with backend.open(SandboxSpec("go", LIMITS)) as sandbox:
        run, outcomes = grade(sandbox, project, documented_command("go"))
    assert run.exit_code not in (0, None)
    assert [o.outcome for o in outcomes] == ["error"], outcomes
