"""find_leaks: shared runs of 40+ characters, whitespace-insensitive, repo text excluded,
and specification text (literals, comments, a reference's signatures) told from code."""

from __future__ import annotations

import pytest

from routr_cli.tasks.leak import (
    MAX_MESSAGE,
    MAX_OCCURRENCES,
    Leak,
    describe_leak,
    describe_leaks,
    find_leaks,
    normalize,
)

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
    # Digits are data, not code, so this checks the bare run finder.
    assert len(find_leaks("<" + run + ">", {"s": "[" + run + "]"}, specification=False)) == 1
    assert find_leaks("<" + run[:-1] + ">", {"s": "[" + run[:-1] + "]"}, specification=False) == []


def test_text_also_in_the_visible_repo_is_not_a_leak() -> None:
    line = "return Decimal(text.strip().replace(',', '')).quantize(CENTS, rounding=ROUND_HALF_UP)"
    prompt = f"Amounts are parsed with `{line}` and lose their sign."
    hidden = {"solution/money.py": f"def parse_amount(text):\n    {line}\n"}
    assert find_leaks(prompt, hidden) != []
    assert find_leaks(prompt, hidden, public={"money.py": f"def f(text):\n    {line}\n"}) == []


def test_several_sources_are_reported_separately_and_sorted() -> None:
    a = "alpha beta gamma delta epsilon zeta eta theta iota"
    b = "one two three four five six seven eight nine ten eleven"
    leaks = find_leaks(f"{b} and then {a}", {"tests/b.py": b, "tests/a.py": a})
    assert [leak.source for leak in leaks] == ["tests/b.py", "tests/a.py"]


def test_describe_leak_names_the_file_and_quotes_the_text() -> None:
    line = describe_leak(Leak("tests/test_x.py", "q" * 102, 0))
    assert line.startswith("prompt.md shares 102 characters with tests/test_x.py: ")
    assert "qqq..." in line and "\n" not in line


# --- specification text shared with hidden files is not a leak ---------------------

LYRICS = [
    "I know an old lady who swallowed a fly.",
    "I don't know why she swallowed the fly. Perhaps she'll die.",
]
PY_SONG_TEST = f"""import unittest
from food_chain import recite


class FoodChainTest(unittest.TestCase):
    def test_fly_verse_of_the_song_is_recited(self):
        # {LYRICS[1]}
        self.assertEqual(recite(1, 1), {LYRICS!r})
"""
SONG_PROMPT = "Recite the song. It begins:\n\n" + "\n".join(LYRICS) + "\n"


def test_lyrics_in_test_literals_and_comments_are_specification_not_a_leak() -> None:
    sources = {"tests/food_chain_test.py": PY_SONG_TEST}
    assert find_leaks(SONG_PROMPT, sources, specification=False) != []  # control: shared
    assert find_leaks(SONG_PROMPT, sources) == []


def test_quoting_the_assert_statement_of_the_same_test_is_a_leak() -> None:
    prompt = SONG_PROMPT + f"\nMake `self.assertEqual(recite(1, 1), {LYRICS!r})` pass.\n"
    leaks = find_leaks(prompt, {"tests/food_chain_test.py": PY_SONG_TEST})
    assert [leak.source for leak in leaks] == ["tests/food_chain_test.py"]
    assert "self.assertEqual(recite(1, 1)" in leaks[0].text


def test_quoting_a_python_test_declaration_is_a_leak() -> None:
    prompt = "See def test_fly_verse_of_the_song_is_recited(self): for the check."
    assert find_leaks(prompt, {"tests/food_chain_test.py": PY_SONG_TEST}) != []


@pytest.mark.parametrize(
    ("name", "hidden", "quoted"),
    [
        (
            "tests/leap.test.js",
            "test('year divisible by 400 is a leap year', () => {\n"
            "  expect(isLeap(2000)).toEqual(true);\n});\n",
            "test('year divisible by 400 is a leap year', () => { expect(isLeap(2000))",
        ),
        (
            "tests/leap_test.go",
            "func TestLeapYearDivisibleByFourHundred(t *testing.T) {\n"
            '\tif got := IsLeapYear(2000); !got {\n\t\tt.Fatalf("IsLeapYear(2000) = %v", got)\n'
            "\t}\n}\n",
            "func TestLeapYearDivisibleByFourHundred(t *testing.T) {",
        ),
        (
            "tests/leap_test.go",
            '\tif got := IsLeapYear(2000); !got {\n\t\tt.Fatalf("IsLeapYear(2000) = %v", got)\n',
            'if got := IsLeapYear(2000); !got { t.Fatalf("IsLeapYear(2000) = %v", got)',
        ),
    ],
    ids=["js-test-call", "go-test-func", "go-assertion"],
)
def test_test_code_in_js_and_go_is_a_leak(name: str, hidden: str, quoted: str) -> None:
    assert find_leaks(f"Please make this work:\n{quoted}\n", {name: hidden}) != []


def test_a_js_test_description_stated_as_prose_is_specification() -> None:
    hidden = "describe('Exponentiation of a real number to a rational number', () => {});\n"
    prompt = "Support exponentiation of a real number to a rational number.\n"
    sources = {"tests/rational.test.js": hidden.replace("Exponentiation", "exponentiation")}
    assert find_leaks(prompt, sources, specification=False) != []
    assert find_leaks(prompt, sources) == []


def test_an_expected_value_shown_as_an_example_is_specification() -> None:
    example = "{ owner: 'BLACK', territory: [[0, 0], [0, 1], [1, 0]] }"
    hidden = f"test('black corner', () => {{\n  expect(territory(0, 1)).toEqual({example});\n}});\n"
    prompt = f"For example, the result is `{example}`.\n"
    sources = {"tests/go-counting.test.js": hidden}
    assert find_leaks(prompt, sources, specification=False) != []
    assert find_leaks(prompt, sources) == []


GO_SOLUTION = """package twobucket

// Solve pours water between two buckets until one holds the goal amount.
func Solve(sizeBucketOne,
\tsizeBucketTwo,
\tgoalAmount int,
\tstartBucket string) (goalBucket string, numSteps, otherBucketLevel int, e error) {
\tif goalAmount > sizeBucketOne && goalAmount > sizeBucketTwo {
\t\treturn "", 0, 0, errors.New("goal amount is larger than both buckets")
\t}
\tstate := pour(sizeBucketOne, sizeBucketTwo, startBucket == "one")
\treturn state.report(goalAmount)
}
"""


def test_a_signature_the_reference_declares_is_specification_its_body_is_not() -> None:
    signature = (
        "func Solve(sizeBucketOne, sizeBucketTwo, goalAmount int, startBucket string) "
        "(goalBucket string, numSteps, otherBucketLevel int, e error)"
    )
    sources = {"solution/two_bucket.go": GO_SOLUTION}
    prompt = f"Implement\n\n```go\n{signature}\n```\n"
    assert find_leaks(prompt, sources, specification=False) != []
    assert find_leaks(prompt, sources) == []
    body = (
        'if goalAmount > sizeBucketOne && goalAmount > sizeBucketTwo { return "", 0, 0, '
        'errors.New("goal amount is larger than both buckets") } '
        'state := pour(sizeBucketOne, sizeBucketTwo, startBucket == "one")'
    )
    assert find_leaks(f"Hint: {body}\n", sources) != []


def test_describe_leaks_is_one_capped_line_saying_each_snippet_once() -> None:
    refrain = "Take one down and pass it around, no more bottles of beer on the wall."
    leaks = [Leak("tests/beer_test.go", refrain, offset) for offset in range(0, 9000, 90)]
    leaks += [Leak("tests/beer_test.go", f"verse {n} " + "x" * 60, n) for n in range(20)]
    line = describe_leaks(leaks)
    assert len(line) <= MAX_MESSAGE and "\n" not in line
    assert line.count(refrain[:30]) == 1
    assert line.startswith("prompt.md quotes hidden code from tests/beer_test.go: ")
    assert line.endswith("more)")
    assert describe_leaks([]) == ""


def test_a_run_repeated_past_the_occurrence_cap_counts_as_a_leak() -> None:
    """Deciding is bounded: past MAX_OCCURRENCES literal copies, doubt refuses the prompt."""
    phrase = "Take one down and pass it around, no more bottles of beer."
    few = "\n".join(f'"{phrase}",' for _ in range(3))
    many = "\n".join(f'"{phrase}",' for _ in range(MAX_OCCURRENCES + 1))
    assert find_leaks(phrase, {"tests/song_test.go": few}) == []
    assert find_leaks(phrase, {"tests/song_test.go": many}) != []
