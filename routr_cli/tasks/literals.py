"""Which characters of a hidden file are specification text rather than code.

A prompt must state what the task asks for: the lyrics a song exercise prints, the
phrases an answer must contain, the signature of the function to write. Those same
words sit in the hidden files as string literals, comments and (in the reference)
declarations, so sharing them is not a leak. The leak check (``leak.py``) uses the mask
computed here to tell them from real leaks: test function names, assertion
statements, test code structure.

The mask is per character of the file: True for specification text. It comes from a
small lexer per language family (Python; C-like: JavaScript, TypeScript, Go), which
knows strings, comments and line starts, and nothing else. What it cannot read (a JS
regular expression holding a quote) ends at the line's end for one-line strings, so a
misread stays on one line. Files of other types are all code. In C-like files an object key or struct field name (``owner:`` in
``{ owner: 'BLACK' }``) is data, like the value after it, so an expected value the
prompt shows as an example is specification too.

Declarations (``def``/``class``/``func``/``function``/``type``, continued over the
lines of an open parenthesis) count as specification only in the reference solution,
never in a test file, where they are the test functions themselves.
"""

from __future__ import annotations

import re

_PY_SUFFIXES = (".py", ".pyi")
_C_LIKE_SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".go")
_PY_STRING_START = re.compile(r"(?i)(?<![\w])[rbuf]{0,2}('''|\"\"\"|'|\")")
_OBJECT_KEY = re.compile(r"\b[A-Za-z_$][\w$]*(?=[ \t]*:(?![:=]))")
_DECLARATION = re.compile(
    r"^[ \t]*(?:export[ \t]+(?:default[ \t]+)?)?(?:async[ \t]+)?"
    r"(?:def|class|func|function\*?|type|interface)\b"
    r"|^[ \t]*export[ \t]+(?:const|let|var)\b"
)
_MAX_DECLARATION_LINES = 12  # a signature wrapped over more lines is not one


def _python_mask(text: str) -> bytearray:
    mask = bytearray(len(text))
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
            mask[i:end] = b"\x01" * (end - i)
            i = end
            continue
        if ch in "'\"rbufRBUF":
            match = _PY_STRING_START.match(text, i)
            if match is None or (i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")):
                i += 1
                continue
            quote = match.group(1)
            j = match.end()
            while j < n:
                if text[j] == "\\":
                    j += 2
                    continue
                if text.startswith(quote, j):
                    j += len(quote)
                    break
                if len(quote) == 1 and text[j] == "\n":
                    break  # an unterminated one-line string ends at the line's end
                j += 1
            end = min(j, n)
            mask[i:end] = b"\x01" * (end - i)
            i = end
            continue
        i += 1
    return mask


def _c_like_mask(text: str) -> bytearray:
    """JavaScript/TypeScript/Go: ``//`` and ``/* */`` comments; '', "", `` strings."""
    mask = bytearray(len(text))
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
        elif ch in "'\"`":
            j = i + 1
            while j < n and text[j] != ch:
                if text[j] == "\\":
                    j += 2
                    continue
                if text[j] == "\n" and ch != "`":
                    break
                j += 1
            end = min(j + 1, n)
        else:
            i += 1
            continue
        mask[i:end] = b"\x01" * (end - i)
        i = end
    for key in _OBJECT_KEY.finditer(text):
        if not mask[key.start()]:
            mask[key.start() : key.end()] = b"\x01" * (key.end() - key.start())
    return mask


def _mark_declarations(text: str, mask: bytearray) -> None:
    """Set the mask over declarations (a reference's signatures are specification).

    A declaration runs from its keyword line while its parentheses stay open, so
    ``func Solve(a,\n b int) (err error) {`` counts whole.
    """
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    number = 0
    while number < len(lines):
        if not _DECLARATION.match(lines[number]):
            number += 1
            continue
        depth = 0
        last = number
        for last in range(number, min(number + _MAX_DECLARATION_LINES, len(lines))):
            line_mask = mask[starts[last] : starts[last + 1]]
            code = "".join(ch for ch, m in zip(lines[last], line_mask, strict=True) if not m)
            depth += code.count("(") - code.count(")")
            if depth <= 0:
                break
        mask[starts[number] : starts[last + 1]] = b"\x01" * (starts[last + 1] - starts[number])
        number = last + 1


def spec_mask(name: str, text: str, declarations: bool = False) -> bytearray:
    """Per character of ``text``: 1 where it is specification text, 0 where it is code.

    ``name`` picks the lexer by extension; ``declarations`` also marks declaration lines
    (pass it for the reference solution, never for tests).
    """
    if name.endswith(_PY_SUFFIXES):
        mask = _python_mask(text)
    elif name.endswith(_C_LIKE_SUFFIXES):
        mask = _c_like_mask(text)
    else:
        return bytearray(len(text))
    if declarations:
        _mark_declarations(text, mask)
    return mask


def flatten_with_mask(text: str, mask: bytearray) -> tuple[str, bytearray]:
    """``text`` with whitespace runs collapsed (as ``leak.normalize``) and its mask to match.

    A collapsed space is marked specification: whitespace never counts as code.
    """
    parts: list[str] = []
    flat_mask = bytearray()
    for match in re.finditer(r"\S+", text):
        if parts:
            parts.append(" ")
            flat_mask.append(1)
        parts.append(match.group())
        flat_mask += mask[match.start() : match.end()]
    return "".join(parts), flat_mask
