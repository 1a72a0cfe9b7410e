"""CommonJS or ES modules: how an imported JavaScript exercise's files get to run.

Exercism's JavaScript track is ES modules compiled by Babel, but a few exercises are
CommonJS (``require``, ``module.exports``, ``__dirname``), in whole or only in their
reference solution. Node without Babel runs a ``.js`` file as whichever the nearest
``package.json`` says, so the importer must pick one per exercise, from the files a
model works with (the starting code and the tests):

- all CommonJS: ``"type": "commonjs"``; each test's ``__dirname`` is re-pointed at the
  folder it came from (tests move to ``tests/``), and the Jest shim (an ES module) is
  loaded with ``require``, which Node 20.19+ supports for ES modules;
- ES modules (or neither): ``"type": "module"``; a reference written as CommonJS is
  wrapped so it runs as an ES module: ``require``, ``module``, ``exports``,
  ``__filename`` and ``__dirname`` are defined first, and ``module.exports`` is
  re-exported under the default and every name the starting code exports;
- both in the starting code or tests: refused with the files named.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping

COMMONJS = "commonjs"
ESM = "module"

_CJS = re.compile(r"\brequire\s*\(|\bmodule\.exports\b|\bexports\.\w+\s*=|\b__dirname\b")
_ESM = re.compile(r"^[ \t]*(?:import\s*(?:[\w*{]|['\"])|export\s+)", re.MULTILINE)
_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
_EXPORTED = re.compile(
    r"^[ \t]*export\s+(?:async\s+)?(?:function\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)",
    re.MULTILINE,
)
_EXPORT_LIST = re.compile(r"^[ \t]*export\s*\{([^}]*)\}", re.MULTILINE)

_ESM_PRELUDE = """\
// Added by `routr tasks import exercism`: this reference is CommonJS, the exercise
// runs as ES modules, so CommonJS's names are defined here and re-exported below.
import { createRequire as routrCreateRequire } from 'node:module';
import { fileURLToPath as routrFileURLToPath } from 'node:url';
import { dirname as routrDirname } from 'node:path';

const require = routrCreateRequire(import.meta.url);
const __filename = routrFileURLToPath(import.meta.url);
const __dirname = routrDirname(__filename);
const module = { exports: {} };
let exports = module.exports;
"""


def _code(text: str) -> str:
    return _COMMENT.sub("", text)


def module_kind(text: str) -> str | None:
    """``commonjs``, ``module``, or None when the file shows neither (or both)."""
    code = _code(text)
    cjs, esm = bool(_CJS.search(code)), bool(_ESM.search(code))
    if cjs == esm:
        return None
    return COMMONJS if cjs else ESM


def exercise_kind(files: Mapping[str, str]) -> str:
    """The module system of the files a model works with; raises ValueError when mixed."""
    kinds = {name: module_kind(text) for name, text in files.items()}
    cjs = sorted(name for name, kind in kinds.items() if kind == COMMONJS)
    esm = sorted(name for name, kind in kinds.items() if kind == ESM)
    if cjs and esm:
        raise ValueError(
            f"mixes CommonJS ({', '.join(cjs)}) and ES modules ({', '.join(esm)}) "
            "in its starting code and tests"
        )
    return COMMONJS if cjs else ESM


def exported_names(stub: str) -> list[str]:
    """Names the starting code exports by name (``export const x``, ``export { a, b }``)."""
    names = set(_EXPORTED.findall(stub))
    for group in _EXPORT_LIST.findall(stub):
        for item in group.split(","):
            alias = item.strip().split(" as ")[-1].strip()
            if alias and alias != "default":
                names.add(alias)
    return sorted(names)


def commonjs_as_esm(reference: str, names: list[str]) -> str:
    """A CommonJS reference wrapped to run as an ES module (module docstring).

    Named exports go through fresh constants, so a reference that declares the same
    name itself (``const foo = ...; module.exports = { foo }``) does not clash.
    """
    body = reference
    if body.startswith("#!"):  # a shebang must be the first line; the prelude comes first
        body = body.split("\n", 1)[1] if "\n" in body else ""
    lines = ["", "export default module.exports;"]
    for name in names:
        lines.append(f"const routrExport_{name} = module.exports.{name};")
        lines.append(f"export {{ routrExport_{name} as {name} }};")
    return _ESM_PRELUDE + "\n" + body.rstrip() + "\n" + "\n".join(lines) + "\n"


def fix_dirname(source: str, test_rel: str) -> str:
    """A CommonJS test moved to ``tests/``: ``__dirname`` still means its old folder."""
    if not re.search(r"\b__dirname\b", _code(source)):
        return source
    up = posixpath.relpath(posixpath.dirname(test_rel) or ".", "tests")
    replacement = f"require('node:path').resolve(__dirname, {up!r})"
    return re.sub(r"\b__dirname\b", replacement, source)
