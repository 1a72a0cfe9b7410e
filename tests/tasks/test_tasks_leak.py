"""find_leaks: shared runs of 40+ characters, whitespace-insensitive, repo text excluded."""

from __future__ import annotations

from routr_cli.tasks.leak import Leak, describe_leak, find_leaks, normalize

HIDDEN = """def test_rounding_half_cent():
    assert total([Decimal("0.005"), Decimal("0.005")]) == Decimal("0.01")
"""


def test_no_leak_when_prompt_shares_less_than_min_run() -> None:
    prompt = "Totals are wrong: assert total([Decimal fails."
    assert find_leaks(prompt, {"tests/test_x.py": HIDDEN}) == []


def test_leak_found_across_different_whitespace() -> None:
    prompt = (
        'Our check is\n\n    assert   total([Decimal("0.005"),\n'
        '   Decimal("0.005")]) == Decimal("0.01")\n\nplease fix.'
    )
    leaks = find_leaks(prompt, {"tests/test_x.py": HIDDEN})
    assert len(leaks) == 1
    assert leaks[0].source == "tests/test_x.py"
    assert leaks[0].text.startswith('assert total([Decimal("0.005"), Decimal("0.005")])')
    assert len(leaks[0].text) >= 40


def test_consecutive_windows_merge_into_one_maximal_run() -> None:
    shared = "x" * 10 + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ" + "y" * 10
    prompt = "PREFIX " + shared + " SUFFIX"
    leaks = find_leaks(prompt, {"solution/a.py": "zz " + shared + " zz"})
    assert [leak.text for leak in leaks] == [shared]
    assert leaks[0].prompt_offset == normalize(prompt).index(shared)


def test_exactly_min_run_is_a_leak_and_one_less_is_not() -> None:
    run = "0123456789" * 4
    assert len(find_leaks("<" + run + ">", {"s": "[" + run + "]"})) == 1
    assert find_leaks("<" + run[:-1] + ">", {"s": "[" + run[:-1] + "]"}) == []


def test_text_also_in_the_visible_repo_is_not_a_leak() -> None:
    signature = "def parse_amount(text: str, currency: str) -> Decimal:"
    prompt = f"The function `{signature}` drops the sign of negative amounts."
    hidden = {"solution/money.py": signature + "\n    return Decimal(text)\n"}
    assert find_leaks(prompt, hidden) != []
    assert find_leaks(prompt, hidden, public={"money.py": signature + "\n    ...\n"}) == []


def test_several_sources_are_reported_separately_and_sorted() -> None:
    a = "alpha beta gamma delta epsilon zeta eta theta iota"
    b = "one two three four five six seven eight nine ten eleven"
    leaks = find_leaks(f"{b} and then {a}", {"tests/b.py": b, "tests/a.py": a})
    assert [leak.source for leak in leaks] == ["tests/b.py", "tests/a.py"]


def test_describe_leak_names_the_file_and_quotes_the_text() -> None:
    line = describe_leak(Leak("tests/test_x.py", "q" * 102, 0))
    assert line.startswith("prompt.md shares 102 characters with tests/test_x.py: ")
    assert "qqq..." in line and "\n" not in line
