"""spec_mask: which characters of a hidden file are specification text, per language."""

from __future__ import annotations

from routr_cli.tasks.literals import flatten_with_mask, spec_mask


def spec_parts(name: str, text: str, declarations: bool = False) -> list[str]:
    """The masked stretches of ``text``, in order."""
    mask = spec_mask(name, text, declarations)
    parts: list[str] = []
    current = ""
    for ch, m in zip(text, mask, strict=True):
        if m:
            current += ch
        elif current:
            parts.append(current)
            current = ""
    return [*parts, current] if current else parts


def test_python_strings_and_comments_are_specification_code_is_not() -> None:
    text = 'x = f("a # b") + r\'c\'  # note\ny = """d\ne"""\nassert x\n'
    assert spec_parts("t.py", text) == ['"a # b"', "r'c'", "# note", '"""d\ne"""']


def test_c_like_strings_comments_and_object_keys() -> None:
    text = "const a = { owner: 'B', n: `x\ny` }; // end\n/* block */ expect(a).toBe(1);\n"
    assert spec_parts("t.test.js", text) == [
        "owner",
        "'B'",
        "n",
        "`x\ny`",
        "// end",
        "/* block */",
    ]


def test_an_escaped_quote_does_not_end_a_string() -> None:
    assert spec_parts("t.go", 'x := "a\\"b" + y') == ['"a\\"b"']
    assert spec_parts("t.py", "s = 'it\\'s' + t") == ["'it\\'s'"]


def test_declarations_count_only_when_asked_and_span_open_parentheses() -> None:
    text = "func Solve(a,\n\tb int) (err error) {\n\treturn nil\n}\n"
    assert spec_parts("s.go", text) == []
    assert spec_parts("s.go", text, declarations=True) == [
        "func Solve(a,\n\tb int) (err error) {\n"
    ]


def test_other_file_types_are_all_code() -> None:
    assert spec_parts("data.json", '{"a": "b"}') == []


def test_flatten_matches_normalize_and_keeps_the_mask_aligned() -> None:
    text = "  a  `b\n c`\t d "
    flat, mask = flatten_with_mask(text, spec_mask("x.js", text))
    assert flat == "a `b c` d"
    assert [ch for ch, m in zip(flat, mask, strict=True) if m and ch != " "] == list("`bc`")
