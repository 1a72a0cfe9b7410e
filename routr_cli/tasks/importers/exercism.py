"""Import Exercism practice exercises (the layout of Aider's polyglot benchmark).

An exercise folder holds ``.meta/config.json`` (``files.solution``, ``files.test``,
``files.example``), ``.docs/instructions.md`` (+ optional ``instructions.append.md``),
the stub files and the tests. ``DIR`` may be one exercise, a folder of exercises, or a
polyglot tree (``<language>/exercises/practice/<slug>``): every folder holding a
``.meta`` or ``.docs`` folder is taken as an exercise.

Format v1 keeps hidden tests under ``tests/``, so each language gets a grade command
that runs them from there:

- Python: ``pytest tests`` run as ``python3 -m pytest`` from ``/work``, which puts the
  repository on ``sys.path`` so ``from two_fer import two_fer`` still resolves.
- JavaScript: relative imports are re-pointed from ``./x`` to ``../x.js``, Jest globals
  come from a small shim (``jest_compat``), ``package.json`` declares the exercise's
  module system (ES modules, or CommonJS: see ``js_modules``), spec files are renamed
  to a name ``node --test tests/`` picks up (``two-fer.spec.js`` -> ``two-fer.test.js``),
  and the image's reporter writes JUnit.
- Go: ``tests/`` mirrors the package layout and is copied into place at grade time,
  then ``go test -json`` runs under the image's ``go-junit``.

The grade commands are the ones the ``node`` and ``go`` sandbox READMEs prescribe.

Refused with the reason: test-writing exercises (the reference is itself a test
suite, so there is nothing to grade it against). Flagged, not refused: refactoring
exercises (the instructions ask to refactor), whose starting code may already pass
every test; only ``routr tasks validate`` can tell, and it refuses those. Exercises in
languages with no importer are counted per language, for one summary line.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections import Counter
from collections.abc import Collection
from pathlib import Path
from typing import Any

from routr_cli.errors import ConfigError
from routr_cli.tasks.importers import jest_compat, js_modules
from routr_cli.tasks.importers.common import (
    PYTEST_COMMAND,
    ImportProblem,
    ImportReport,
    TaskDraft,
    check_category,
    family_name,
    slugify_id,
    write_drafts,
)
from routr_cli.tasks.model import iter_files
from routr_cli.text import plural

LANGUAGES = {".py": "python", ".js": "javascript", ".mjs": "javascript", ".go": "go"}
# The grade commands of sandboxes/node/README.md and sandboxes/go/README.md, verbatim.
NODE_COMMAND = (
    "node --test --test-reporter=/opt/routr/junit-reporter.mjs "
    "--test-reporter-destination=$ROUTR_JUNIT --test-reporter=spec "
    "--test-reporter-destination=stdout tests/"
)
GO_COMMAND = (
    "cp -r tests/. . && rm -r tests && "
    "go-junit $ROUTR_JUNIT -- go test -json -count=1 -timeout 60s ./..."
)
# Tooling of Exercism's JS track that means nothing without npm, and its licence text.
JS_TOOLING = {"babel.config.js", "package-lock.json", "LICENSE", "package.json"}
_JS_RELATIVE_IMPORT = re.compile(
    r"""(?P<head>\bfrom\s+|\bimport\s+|\brequire\s*\(\s*|\bimport\s*\(\s*)(?P<q>['"])(?P<path>\.{1,2}/[^'"]+)(?P=q)"""
)
_NODE_TEST_NAME = re.compile(r"(?:[.\-_]test\.[cm]?js$)|(?:^test(?:-.*)?\.[cm]?js$)")
_USES_JEST_GLOBALS = re.compile(r"\b(?:expect|describe|xtest|xit)\s*\(")
_JEST_NAMES = (
    "describe, test, it, xtest, xit, xdescribe, expect, beforeEach, afterEach, beforeAll, afterAll"
)
# A reference that is a test suite: the exercise asks the learner to write tests.
_TEST_SUITE = {
    "python": re.compile(r"^(?:import (?:unittest|pytest)\b|[ \t]*def test_\w*\()", re.MULTILINE),
    "go": re.compile(r"^func Test\w*\(\s*\w+\s+\*testing\.T\s*\)", re.MULTILINE),
    "javascript": re.compile(r"^[ \t]*(?:describe|test|it)\s*\(\s*['\"`]", re.MULTILINE),
}
_REFACTORING = re.compile(r"\brefactor", re.IGNORECASE)
# Names for the solution-file extensions of Exercism tracks with no importer here.
_OTHER_LANGUAGES = {
    ".cpp": "cpp",
    ".h": "cpp",
    ".hpp": "cpp",
    ".cc": "cpp",
    ".c": "c",
    ".java": "java",
    ".rs": "rust",
    ".rb": "ruby",
    ".cs": "csharp",
    ".kt": "kotlin",
    ".swift": "swift",
    ".ts": "typescript",
    ".php": "php",
    ".ex": "elixir",
    ".hs": "haskell",
    ".scala": "scala",
}


def find_exercises(root: Path) -> list[Path]:
    """Exercise folders under ``root`` (``root`` itself when it is one), sorted."""
    root = Path(root)
    if not root.is_dir():
        raise ConfigError(f"{root}: no such folder (pass an Exercism exercise or tree)")
    if (root / ".meta").is_dir() or (root / ".docs").is_dir():
        return [root]
    found = {
        marker.parent
        for name in (".meta", ".docs")
        for marker in root.rglob(name)
        if marker.is_dir() and "node_modules" not in marker.parts
    }
    return sorted(found)


def _file_list(config: dict[str, Any], key: str, where: str) -> list[str]:
    files = config.get("files")
    if not isinstance(files, dict):
        raise ImportProblem(f"{where}: .meta/config.json: missing 'files' object")
    value = files.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ImportProblem(
            f"{where}: .meta/config.json: files.{key} must be a non-empty list of paths"
        )
    return value


def _text(path: Path, where: str, field: str) -> str:
    """The UTF-8 text of ``path``; an unreadable file is an ``ImportProblem`` naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ImportProblem(f"{where}: {field}: not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise ImportProblem(f"{where}: {field}: cannot read ({exc.strerror})") from exc


def _read(folder: Path, rel: str, where: str, field: str) -> str:
    """A file the exercise's config lists; it must be inside the exercise (links included)."""
    path = folder / rel
    if not path.is_file():
        raise ImportProblem(f"{where}: {field}: {rel} does not exist")
    if folder.resolve() not in path.resolve().parents:
        raise ImportProblem(f"{where}: {field}: {rel} leads outside the exercise folder")
    return _text(path, where, f"{field}: {rel}")


def _language(solution_files: list[str], where: str) -> str:
    suffixes = {Path(f).suffix for f in solution_files}
    languages = {LANGUAGES.get(s) for s in suffixes}
    if len(languages) != 1 or None in languages:
        raise ImportProblem(
            f"{where}: files.solution: cannot tell the language from {', '.join(sorted(suffixes))} "
            f"(supported: {', '.join(sorted(LANGUAGES))})"
        )
    (language,) = languages
    assert language is not None
    return language


def _is_test_file(rel: str, language: str, listed: set[str]) -> bool:
    name = posixpath.basename(rel)
    if rel in listed:
        return True
    if language == "python":
        return name.startswith("test_") or name.endswith("_test.py")
    if language == "go":
        return name.endswith("_test.go")
    return name.endswith((".spec.js", ".test.js", ".spec.mjs", ".test.mjs"))


def _rewrite_js_imports(source: str, test_rel: str) -> str:
    """Point relative imports of a test moved from ``test_rel`` to ``tests/`` back at repo."""
    base = posixpath.dirname(test_rel)

    def fix(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(base, match.group("path")))
        if not posixpath.splitext(target)[1]:
            target += ".js"
        new = posixpath.relpath(target, "tests")
        if not new.startswith("."):
            new = "./" + new
        return f"{match.group('head')}{match.group('q')}{new}{match.group('q')}"

    return _JS_RELATIVE_IMPORT.sub(fix, source)


def _js_test(source: str, test_rel: str, kind: str) -> str:
    source = _rewrite_js_imports(source, test_rel)
    if kind == js_modules.COMMONJS:
        source = js_modules.fix_dirname(source, test_rel)
    if _USES_JEST_GLOBALS.search(source) and "node:test" not in source:
        if kind == js_modules.COMMONJS:
            header = f"const {{ {_JEST_NAMES} }} = require('./{jest_compat.FILE_NAME}');\n"
        else:
            header = f"import {{ {_JEST_NAMES} }} from './{jest_compat.FILE_NAME}';\n"
        source = header + source
    return source


def _js_module_kind(repo: dict[str, str], tests: dict[str, str], where: str) -> str:
    """The exercise's module system, from the ``.js`` files a model sees and the tests."""
    seen = {rel: text for rel, text in repo.items() if rel.endswith(".js")}
    seen.update({f"tests/{rel}": text for rel, text in tests.items() if rel.endswith(".js")})
    try:
        return js_modules.exercise_kind(seen)
    except ValueError as exc:
        raise ImportProblem(f"{where}: {exc}") from exc


def _js_reference(
    solution: dict[str, str], repo: dict[str, str], kind: str, where: str
) -> dict[str, str]:
    """The reference files, made to run under the exercise's module system."""
    out = dict(solution)
    for rel, text in solution.items():
        ref_kind = js_modules.module_kind(text) if rel.endswith(".js") else None
        if ref_kind is None or ref_kind == kind:
            continue
        if kind == js_modules.COMMONJS:
            raise ImportProblem(
                f"{where}: files.example: the reference {rel} is an ES module but the "
                "starting code and tests are CommonJS (cannot run both)"
            )
        out[rel] = js_modules.commonjs_as_esm(text, js_modules.exported_names(repo.get(rel, "")))
    return out


def _check_not_a_test_suite(
    language: str, solution: dict[str, str], examples: list[str], where: str
) -> None:
    """Refuse a test-writing exercise: its reference is tests, not code to grade."""
    for text, example in zip(solution.values(), examples, strict=True):
        if _TEST_SUITE[language].search(text) or _is_test_file(example, language, set()):
            raise ImportProblem(
                f"{where}: a test-writing exercise (its reference {example} is a test suite): "
                "there is no code to grade against hidden tests, so it cannot be a task"
            )


def node_test_name(name: str) -> str:
    """A file name that ``node --test tests/`` runs (``*.test.js``, ``*_test.mjs``, ...)."""
    stem, ext = posixpath.splitext(name)
    if _NODE_TEST_NAME.search(name):
        return name
    return stem.removesuffix(".spec") + ".test" + ext


def _title(slug: str) -> str:
    return " ".join(word.capitalize() for word in re.split(r"[-_]+", slug) if word)


def _prompt(folder: Path, slug: str, solution_files: list[str], where: str) -> str:
    instructions = folder / ".docs" / "instructions.md"
    if not instructions.is_file():
        raise ImportProblem(f"{where}: .docs/instructions.md does not exist")
    text = _text(instructions, where, ".docs/instructions.md")
    parts = [f"# {_title(slug)}\n", text.strip() + "\n"]
    append = folder / ".docs" / "instructions.append.md"
    if append.is_file():
        parts.append(_text(append, where, ".docs/instructions.append.md").strip() + "\n")
    files = ", ".join(f"`{f}`" for f in solution_files)
    parts.append(
        f"## What to change\n\nImplement this in {files}. Keep the names of the existing "
        "functions, classes and types: the hidden tests call them. Use only the "
        "language's standard library.\n"
    )
    return "\n".join(parts)


def exercise_to_draft(folder: Path, category: str = "feature") -> TaskDraft:
    """Convert one exercise folder; raises ``ImportProblem`` naming the file and field."""
    where = str(folder)
    config_path = folder / ".meta" / "config.json"
    if not config_path.is_file():
        raise ImportProblem(f"{where}: .meta/config.json does not exist")
    try:
        config = json.loads(_text(config_path, where, ".meta/config.json"))
    except json.JSONDecodeError as exc:
        raise ImportProblem(
            f"{where}: .meta/config.json: invalid JSON ({exc.msg}, line {exc.lineno})"
        ) from exc
    if not isinstance(config, dict):
        raise ImportProblem(f"{where}: .meta/config.json: expected a JSON object")
    solution_files = _file_list(config, "solution", where)
    test_files = _file_list(config, "test", where)
    example_files = _file_list(config, "example", where)
    language = _language(solution_files, where)
    if len(example_files) != len(solution_files):
        raise ImportProblem(
            f"{where}: .meta/config.json: files.example has {plural(len(example_files), 'file')} "
            f"but files.solution has {len(solution_files)} (cannot pair them)"
        )
    try:
        task_id = slugify_id(folder.name, f"exercism-{language}")
    except ImportProblem as exc:
        raise ImportProblem(f"{where}: folder name: {exc}") from exc

    listed_tests = set(test_files)
    for rel in test_files:
        _read(folder, rel, where, "files.test")
    repo: dict[str, str] = {}
    tests: dict[str, str] = {}
    raw_tests: dict[str, str] = {}  # JavaScript tests, converted once the module kind is known
    for path in iter_files(folder):
        rel = path.relative_to(folder).as_posix()
        if rel.split("/")[0].startswith("."):
            continue
        text = _text(path, where, rel)
        if _is_test_file(rel, language, listed_tests):
            if language == "javascript":
                raw_tests[rel] = text
            elif language == "go":
                tests[rel] = text
            else:
                tests[posixpath.basename(rel)] = text
        elif not (language == "javascript" and rel in JS_TOOLING):
            repo[rel] = text
    for rel in solution_files:
        repo[rel] = _read(folder, rel, where, "files.solution")
    solution = {
        stub: _read(folder, example, where, "files.example")
        for stub, example in zip(solution_files, example_files, strict=True)
    }
    _check_not_a_test_suite(language, solution, example_files, where)

    if language == "python":
        command = PYTEST_COMMAND
    elif language == "go":
        command = GO_COMMAND
        if "go.mod" not in repo:
            raise ImportProblem(
                f"{where}: go.mod does not exist (a Go exercise needs its module file)"
            )
    else:
        kind = _js_module_kind(repo, raw_tests, where)
        for rel, text in raw_tests.items():
            tests[node_test_name(posixpath.basename(rel))] = _js_test(text, rel, kind)
        if jest_compat.FILE_NAME in tests:
            raise ImportProblem(f"{where}: a test file is named {jest_compat.FILE_NAME} (reserved)")
        if any(_USES_JEST_GLOBALS.search(t) for t in tests.values()):
            tests[jest_compat.FILE_NAME] = jest_compat.SOURCE
        solution = _js_reference(solution, repo, kind, where)
        command = NODE_COMMAND
        repo["package.json"] = (
            json.dumps({"name": folder.name, "private": True, "type": kind}, indent=2) + "\n"
        )
    prompt = _prompt(folder, folder.name, solution_files, where)
    refactoring = bool(_REFACTORING.search(prompt))

    return TaskDraft(
        id=task_id,
        title=f"{_title(folder.name)} (Exercism, {language})",
        category=category,
        language=language,
        difficulty="medium",
        grade_command=command,
        prompt=prompt,
        repo=repo,
        tests=tests,
        solution=solution,
        tags=("imported", "exercism", language, *(["refactoring"] if refactoring else [])),
        timeout_s=120,
        comment=f"Imported from the Exercism exercise {folder.name!r} by `routr tasks import exercism`.",
        # One exercise in several languages is one origin: the ranking clusters them.
        family=family_name("exercism", folder.name),
    )


def _solution_suffixes(folder: Path) -> set[str] | None:
    """Extensions of the exercise's solution files, or None when its config is unreadable."""
    try:
        config = json.loads((folder / ".meta" / "config.json").read_text(encoding="utf-8"))
        files = config["files"]["solution"]
        return {Path(name).suffix for name in files}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def import_exercism(
    root: Path,
    out_dir: Path,
    category: str = "feature",
    languages: Collection[str] | None = None,
) -> ImportReport:
    """Convert every exercise under ``root`` into ``out_dir/<id>/``; bad ones are reported.

    Exercises whose solution files are clearly in a language with no importer are
    counted per language in ``report.unsupported`` (a polyglot tree holds many); with
    ``languages``, those in other languages are passed over silently. Broken ones are
    reported either way; refactoring exercises are written and named in ``flagged``.
    """
    check_category(category)
    if languages:
        unknown = sorted(set(languages) - set(LANGUAGES.values()))
        if unknown:
            supported = ", ".join(sorted(set(LANGUAGES.values())))
            raise ConfigError(f"--language {unknown[0]!r} is not importable (use {supported})")
    folders = find_exercises(root)
    if not folders:
        raise ConfigError(
            f"{root}: no Exercism exercises (folders holding .meta/ or .docs/): "
            "pass an exercise, a folder of them, or a polyglot tree"
        )
    drafts: list[TaskDraft | ImportProblem] = []
    unsupported: Counter[str] = Counter()
    for folder in folders:
        suffixes = _solution_suffixes(folder)
        if suffixes is not None and not {LANGUAGES.get(x) for x in suffixes} - {None}:
            if not languages:
                unsupported[_other_language(folder, suffixes)] += 1
            continue
        selected = {LANGUAGES.get(x) for x in suffixes or ()} & set(languages or ())
        if languages and suffixes is not None and not selected:
            continue
        try:
            drafts.append(exercise_to_draft(folder, category))
        except ImportProblem as exc:
            drafts.append(exc)
    report = write_drafts(drafts, out_dir)
    report.unsupported.update(unsupported)
    report.flagged.extend(
        f"{task.id}: a refactoring exercise: its starting code may already pass every test "
        "(`routr tasks validate` refuses it if so)"
        for task in report.written
        if "refactoring" in task.tags
    )
    return report


def _other_language(folder: Path, suffixes: set[str]) -> str:
    """A name for an unsupported exercise's language: the track folder, else by extension.

    A polyglot tree is ``<language>/exercises/practice/<slug>``; elsewhere the solution
    files' extensions name it (``.cpp`` and ``.h`` are both cpp).
    """
    parents = folder.parents
    if len(parents) >= 3 and parents[0].name == "practice" and parents[1].name == "exercises":
        return parents[2].name
    names = {_OTHER_LANGUAGES.get(x, x.lstrip(".") or "unknown") for x in suffixes}
    return "/".join(sorted(names))
