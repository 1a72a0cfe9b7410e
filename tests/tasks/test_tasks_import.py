"""Importers: HumanEval-style JSONL and Exercism exercises become loadable task folders."""

from __future__ import annotations

import ast
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from routr_cli.errors import ConfigError
from routr_cli.tasks.hashing import task_hash
from routr_cli.tasks.importers.common import ImportProblem, slugify_id, write_task
from routr_cli.tasks.importers.exercism import (
    exercise_to_draft,
    find_exercises,
    import_exercism,
    node_test_name,
)
from routr_cli.tasks.importers.jsonl import import_jsonl, record_to_draft

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
EXERCISM = FIXTURES / "exercism"
RECORD = {
    "task_id": "HumanEval/0",
    "entry_point": "double",
    "prompt": 'def double(x: int) -> int:\n    """Twice x."""\n',
    "canonical_solution": "    return 2 * x\n",
    "test": "def check(candidate):\n    assert candidate(1) == 2\n    assert candidate(0) == 0\n",
}


def test_slugify_id() -> None:
    assert slugify_id("HumanEval/0") == "humaneval-0"
    assert slugify_id("two_fer", "exercism-python") == "exercism-python-two-fer"
    with pytest.raises(ImportProblem, match="cannot make a task id"):
        slugify_id("/")


def test_jsonl_record_becomes_stub_reference_and_one_test_per_assert() -> None:
    draft = record_to_draft(RECORD, "line 1", "feature")
    assert draft.id == "humaneval-0"
    assert draft.repo["solution.py"].endswith('"""Twice x."""\n    raise NotImplementedError\n')
    assert draft.solution["solution.py"] == RECORD["prompt"] + RECORD["canonical_solution"]
    tree = ast.parse(draft.tests["test_solution.py"])
    names = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert names == ["check", "test_assert_1", "test_assert_2"]
    assert "double" in draft.prompt and "solution.py" in draft.prompt


def test_jsonl_check_with_loops_falls_back_to_one_test() -> None:
    record = dict(
        RECORD,
        test="def check(candidate):\n    for i in range(3):\n        assert candidate(i) == 2 * i\n",
    )
    tree = ast.parse(record_to_draft(record, "line 1", "feature").tests["test_solution.py"])
    assert [n.name for n in tree.body if isinstance(n, ast.FunctionDef)] == ["check", "test_check"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"entry_point": None}, "line 1: missing field 'entry_point'"),
        ({"test": 3}, "line 1: field 'test' must be a non-empty string"),
        ({"entry_point": "triple"}, "prompt: no `def triple(` (entry_point)"),
        ({"test": "def verify(c):\n    pass\n"}, "test: defines no check(candidate) function"),
        ({"canonical_solution": "  return (\n"}, "prompt + canonical_solution is not valid Python"),
        ({"task_id": "!!"}, "line 1 (!!): task_id: cannot make a task id from '!!'"),
    ],
)
def test_jsonl_bad_records_name_line_and_field(change: dict[str, object], message: str) -> None:
    record: dict[str, object] = dict(RECORD)
    for key, value in change.items():
        if value is None:
            del record[key]
        else:
            record[key] = value
    with pytest.raises(ImportProblem) as info:
        record_to_draft(record, "line 1", "feature")
    assert message in str(info.value)
    assert str(info.value).startswith("line 1")  # every problem names the record


def test_import_jsonl_fixture_converts_good_and_reports_bad(tmp_path: Path) -> None:
    report = import_jsonl(FIXTURES / "humaneval.jsonl", tmp_path)
    assert [t.id for t in report.written] == ["fixture-0", "fixture-1", "fixture-2"]
    assert report.problems == [
        "humaneval.jsonl line 3: missing field 'entry_point'",
        "humaneval.jsonl line 5: invalid JSON (Expecting property name enclosed in double quotes at column 49)",
    ]
    assert all(t.grade.fail_to_pass == () for t in report.written)


def test_reimport_overwrites_deterministically(tmp_path: Path) -> None:
    import_jsonl(FIXTURES / "humaneval.jsonl", tmp_path)
    first = {p.name: task_hash(p) for p in tmp_path.iterdir()}
    (tmp_path / "fixture-0" / "repo" / "stray.py").write_text("x = 1\n")
    import_jsonl(FIXTURES / "humaneval.jsonl", tmp_path)
    assert {p.name: task_hash(p) for p in tmp_path.iterdir()} == first


def test_find_exercises_accepts_one_exercise_a_folder_or_a_tree() -> None:
    practice = EXERCISM / "python" / "exercises" / "practice"
    assert find_exercises(practice / "run-length") == [practice / "run-length"]
    assert [p.name for p in find_exercises(practice)] == [
        "isbn-verifier",
        "missing-example",
        "run-length",
    ]
    assert [p.name for p in find_exercises(EXERCISM)] == [
        "hello-cpp",
        "bug-hunt",
        "digit-sum",
        "line-grep",
        "shout",
        "word-tally",
        "isbn-verifier",
        "missing-example",
        "run-length",
    ]


def test_exercism_python_layout() -> None:
    folder = EXERCISM / "python" / "exercises" / "practice" / "isbn-verifier"
    draft = exercise_to_draft(folder)
    assert draft.id == "exercism-python-isbn-verifier"
    assert draft.language == "python" and "pytest" in draft.grade_command
    assert sorted(draft.repo) == ["isbn_verifier.py"] and sorted(draft.tests) == [
        "isbn_verifier_test.py"
    ]
    assert draft.solution == {"isbn_verifier.py": (folder / ".meta" / "example.py").read_text()}
    assert "never raise for malformed input" in draft.prompt  # instructions.append.md
    assert "`isbn_verifier.py`" in draft.prompt


def test_exercism_javascript_rewrites_imports_and_adds_the_jest_shim() -> None:
    draft = exercise_to_draft(EXERCISM / "javascript" / "exercises" / "practice" / "word-tally")
    assert sorted(draft.tests) == ["jest-compat.mjs", "word-tally.test.js"]  # runnable name
    spec = draft.tests["word-tally.test.js"]
    assert "from '../word-tally.js'" in spec
    assert spec.startswith("import { describe, test, it, xtest")
    assert json.loads(draft.repo["package.json"])["type"] == "module"
    assert sorted(draft.repo) == ["package.json", "word-tally.js"]  # no babel/eslint tooling
    assert draft.grade_command.startswith(
        "node --test --test-reporter=/opt/routr/junit-reporter.mjs"
    )
    assert draft.grade_command.endswith(" tests/")


def test_exercism_go_copies_tests_in_at_grade_time() -> None:
    draft = exercise_to_draft(EXERCISM / "go" / "exercises" / "practice" / "digit-sum")
    assert sorted(draft.tests) == ["cases_test.go", "digit_sum_test.go"]
    assert sorted(draft.repo) == ["digit_sum.go", "go.mod"]
    assert draft.grade_command.startswith("cp -r tests/. . && rm -r tests && go-junit $ROUTR_JUNIT")


def test_import_exercism_reports_the_broken_exercise_and_converts_the_rest(tmp_path: Path) -> None:
    report = import_exercism(EXERCISM, tmp_path)
    assert sorted(t.id for t in report.written) == [
        "exercism-go-digit-sum",
        "exercism-javascript-line-grep",
        "exercism-javascript-shout",
        "exercism-javascript-word-tally",
        "exercism-python-isbn-verifier",
        "exercism-python-run-length",
    ]
    assert len(report.problems) == 2
    assert "bug-hunt: a test-writing exercise" in report.problems[0]
    assert "missing-example: .meta/config.json: files.example" in report.problems[1]
    assert report.unsupported_line() == "skipped 1 exercise in unsupported languages: cpp 1"


def test_empty_inputs_are_config_errors(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_text("\n\n")
    (tmp_path / "no-exercises").mkdir()
    with pytest.raises(ConfigError, match="no records"):
        import_jsonl(tmp_path / "empty.jsonl", tmp_path / "out")
    with pytest.raises(ConfigError, match="no Exercism exercises"):
        import_exercism(tmp_path / "no-exercises", tmp_path / "out")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("two-fer.spec.js", "two-fer.test.js"),
        ("two-fer.test.js", "two-fer.test.js"),
        ("two_fer_test.mjs", "two_fer_test.mjs"),
        ("test-two-fer.js", "test-two-fer.js"),
        ("helpers.js", "helpers.test.js"),
    ],
)
def test_js_test_files_get_names_node_test_runs(name: str, expected: str) -> None:
    assert node_test_name(name) == expected


def test_language_filter_passes_over_other_languages(tmp_path: Path) -> None:
    report = import_exercism(EXERCISM, tmp_path, languages=["javascript"])
    assert sorted(t.id for t in report.written) == [
        "exercism-javascript-line-grep",
        "exercism-javascript-shout",
        "exercism-javascript-word-tally",
    ]
    assert report.problems == [] and not report.unsupported
    broken = import_exercism(EXERCISM, tmp_path / "py", languages=["python"])
    assert len(broken.written) == 2 and len(broken.problems) == 1  # missing-example is python
    with pytest.raises(ConfigError, match="--language 'rust' is not importable"):
        import_exercism(EXERCISM, tmp_path, languages=["rust"])


def test_unreadable_inputs_are_one_line_errors_not_tracebacks(tmp_path: Path) -> None:
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\xff\xfe\x00 not text")
    with pytest.raises(ConfigError, match=r"binary\.jsonl: not UTF-8 text \(byte 0\)"):
        import_jsonl(binary, tmp_path / "out")

    exercise = tmp_path / "latin1"
    (exercise / ".meta").mkdir(parents=True)
    (exercise / ".meta" / "config.json").write_bytes(b'{"files": "\xe9"}')
    report = import_exercism(exercise, tmp_path / "out")
    assert report.written == []
    assert report.problems == [f"{exercise}: .meta/config.json: not UTF-8 text (byte 11)"]


def test_out_that_is_a_file_stops_the_import_with_one_line(tmp_path: Path) -> None:
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text(json.dumps(RECORD) + "\n")
    not_a_folder = tmp_path / "out"
    not_a_folder.write_text("")
    with pytest.raises(ConfigError, match=r"cannot write \(Not a directory\): pass a writable"):
        import_jsonl(jsonl, not_a_folder)
    with pytest.raises(ConfigError, match=r"cannot write \(Not a directory\): pass a writable"):
        import_exercism(EXERCISM, not_a_folder)


def test_an_exercise_whose_folder_name_makes_no_id_is_named(tmp_path: Path) -> None:
    exercise = tmp_path / "__"
    shutil.copytree(EXERCISM / "python" / "exercises" / "practice" / "run-length", exercise)
    report = import_exercism(exercise, tmp_path / "out")
    assert report.written == []
    assert report.problems == [
        f"{exercise}: folder name: cannot make a task id from '__' (it has no letters or digits)"
    ]


def test_a_draft_that_does_not_load_leaves_nothing_in_out(tmp_path: Path) -> None:
    draft = replace(record_to_draft(RECORD, "line 1", "feature"), tests={})
    with pytest.raises(ImportProblem, match=r"does not load: .*empty tests/"):
        write_task(draft, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_blank_category_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text(json.dumps(RECORD) + "\n")
    for run in (
        lambda: import_jsonl(jsonl, tmp_path / "out", " "),
        lambda: import_exercism(EXERCISM, tmp_path / "out", ""),
    ):
        with pytest.raises(ConfigError, match="--category must be a non-empty label"):
            run()
    assert not (tmp_path / "out").exists()


def test_listed_files_that_lead_outside_the_exercise_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "id_rsa"
    secret.write_text("PRIVATE KEY\n")
    exercise = tmp_path / "run-length"
    shutil.copytree(EXERCISM / "python" / "exercises" / "practice" / "run-length", exercise)
    config = json.loads((exercise / ".meta" / "config.json").read_text())
    (stub,) = config["files"]["solution"]
    (exercise / stub).unlink()
    (exercise / stub).symlink_to(secret)
    report = import_exercism(exercise, tmp_path / "out")
    assert report.written == []
    assert report.problems == [
        f"{exercise}: files.solution: {stub} leads outside the exercise folder"
    ]


def test_an_exercise_file_that_is_not_text_is_named(tmp_path: Path) -> None:
    exercise = tmp_path / "run-length"
    shutil.copytree(EXERCISM / "python" / "exercises" / "practice" / "run-length", exercise)
    (exercise / "logo.png").write_bytes(b"\x89PNG\r\n")
    report = import_exercism(exercise, tmp_path / "out")
    assert report.written == []
    assert report.problems == [f"{exercise}: logo.png: not UTF-8 text (byte 0)"]


# --- what the polyglot benchmark showed: module systems, test-writing, refactoring ---

JS_PRACTICE = EXERCISM / "javascript" / "exercises" / "practice"


def test_a_commonjs_exercise_stays_commonjs_with_dirname_and_require_working() -> None:
    draft = exercise_to_draft(JS_PRACTICE / "line-grep")
    assert json.loads(draft.repo["package.json"])["type"] == "commonjs"
    assert "data/poem.txt" in draft.repo  # the spec's data files stay beside the code
    spec = draft.tests["line-grep.test.js"]
    assert spec.startswith("const { describe, test, it, xtest")
    assert "require('./jest-compat.mjs');" in spec.splitlines()[0]
    assert "require('../line-grep.js')" in spec
    assert "path.resolve(require('node:path').resolve(__dirname, '..'), 'data')" in spec
    assert draft.solution["line-grep.js"].startswith("const fs = require('fs');")  # untouched


def test_a_commonjs_reference_of_an_es_module_exercise_is_wrapped_to_run() -> None:
    draft = exercise_to_draft(JS_PRACTICE / "shout")
    assert json.loads(draft.repo["package.json"])["type"] == "module"
    reference = draft.solution["shout.js"]
    assert "const require = routrCreateRequire(import.meta.url);" in reference
    assert "module.exports.shout = (text) =>" in reference
    assert reference.rstrip().endswith("export { routrExport_shout as shout };")
    assert "export default module.exports;" in reference


def test_an_exercise_mixing_module_systems_is_refused_with_the_files_named(
    tmp_path: Path,
) -> None:
    exercise = tmp_path / "shout"
    shutil.copytree(JS_PRACTICE / "shout", exercise)
    (exercise / "helper.js").write_text("module.exports = { loud: true };\n")
    report = import_exercism(exercise, tmp_path / "out")
    assert report.written == []
    assert report.problems == [
        f"{exercise}: mixes CommonJS (helper.js) and ES modules (shout.js, tests/shout.spec.js) "
        "in its starting code and tests"
    ]


def test_a_test_writing_exercise_is_refused_with_the_reason(tmp_path: Path) -> None:
    exercise = EXERCISM / "go" / "exercises" / "practice" / "bug-hunt"
    report = import_exercism(exercise, tmp_path)
    assert report.written == []
    assert report.problems == [
        f"{exercise}: a test-writing exercise (its reference .meta/example.go is a test "
        "suite): there is no code to grade against hidden tests, so it cannot be a task"
    ]


def test_a_refactoring_exercise_is_written_but_flagged_for_validate(tmp_path: Path) -> None:
    exercise = tmp_path / "run-length"
    shutil.copytree(EXERCISM / "python" / "exercises" / "practice" / "run-length", exercise)
    instructions = exercise / ".docs" / "instructions.md"
    instructions.write_text(
        "Refactor this working but messy encoder.\n\n" + instructions.read_text()
    )
    report = import_exercism(exercise, tmp_path / "out")
    assert [t.id for t in report.written] == ["exercism-python-run-length"]
    assert "refactoring" in report.written[0].tags
    assert report.flagged == [
        "exercism-python-run-length: a refactoring exercise: its starting code may already "
        "pass every test (`routr tasks validate` refuses it if so)"
    ]


def test_one_exercise_imported_in_python_and_go_shares_a_family(tmp_path: Path) -> None:
    # The same exercise name in two language tracks (the fixtures' own folders, renamed):
    # the ranking must cluster them as one origin, and keep other exercises apart.
    practice = {lang: tmp_path / "src" / lang / "exercises" / "practice" for lang in ("py", "go")}
    shutil.copytree(
        EXERCISM / "python/exercises/practice/isbn-verifier", practice["py"] / "two-fer"
    )
    shutil.copytree(EXERCISM / "go/exercises/practice/digit-sum", practice["go"] / "two-fer")
    shutil.copytree(EXERCISM / "go/exercises/practice/digit-sum", practice["go"] / "digit-sum")
    report = import_exercism(tmp_path / "src", tmp_path / "out")
    families = {t.id: t.family for t in report.written}
    assert families == {
        "exercism-python-two-fer": "exercism:two-fer",
        "exercism-go-two-fer": "exercism:two-fer",
        "exercism-go-digit-sum": "exercism:digit-sum",
    }
    toml = (tmp_path / "out" / "exercism-go-two-fer" / "task.toml").read_text()
    assert 'family = "exercism:two-fer"' in toml  # written, so a re-load keeps it


@pytest.mark.parametrize(
    ("task_id", "stem", "family"),
    [
        ("HumanEval/0", "humaneval", "humaneval:0"),
        ("Python/0", "humaneval_python", "humaneval:0"),  # HumanEval-X: one problem, many files
        ("Go/0", "humaneval_go", "humaneval:0"),
        ("MBPP/3", "mbpp", "mbpp:3"),
        ("two_sum", "My Problems", "my-problems:two_sum"),
    ],
)
def test_jsonl_records_get_the_family_of_their_source(task_id: str, stem: str, family: str) -> None:
    draft = record_to_draft(dict(RECORD, task_id=task_id), "line 1", "feature", stem)
    assert draft.family == family


def test_imported_jsonl_tasks_carry_their_family(tmp_path: Path) -> None:
    report = import_jsonl(FIXTURES / "humaneval.jsonl", tmp_path)
    assert report.written and all(
        t.family == "fixture:" + t.id.removeprefix("fixture-") for t in report.written
    )
