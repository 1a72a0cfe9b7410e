import functools
import random
import signal
import subprocess
import sys

import pytest

from difftool import Opcode, PatchError, apply_patch, diff_stat, opcodes, unified_diff

BUDGET_S = 8  # the reference needs well under a second for each test


class BudgetExceeded(Exception):
    pass


def within_budget(test):
    """Fail the test (cleanly, without a traceback) if it runs longer than BUDGET_S."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        def on_alarm(signum, frame):
            raise BudgetExceeded

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, BUDGET_S)
        timed_out = False
        try:
            test(*args, **kwargs)
        except BudgetExceeded:
            timed_out = True
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        if timed_out:
            pytest.fail(f"exceeded the {BUDGET_S}s time budget: the algorithm is too slow", pytrace=False)

    return wrapper


def edited_pair(n, edits, seed):
    """Two texts of ~n unique lines; returns (old, new, minimal number of changed lines)."""
    rng = random.Random(seed)
    old = [f"setting_{i:05d} = value {rng.randint(0, 10**6)}\n" for i in range(n)]
    new = list(old)
    cost = 0
    for k, pos in enumerate(sorted(rng.sample(range(1, n - 1), edits), reverse=True)):
        if k % 3 == 0:
            del new[pos]
            cost += 1
        elif k % 3 == 1:
            new.insert(pos, f"added_{k} = {seed}\n")
            cost += 1
        else:
            new[pos] = f"changed_{k} = {seed}\n"
            cost += 2
    return "".join(old), "".join(new), cost


def brute_lcs(a, b):
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            table[i][j] = table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
    return table[0][0]


@within_budget
def test_large_nearly_identical_files():
    old, new, cost = edited_pair(30000, 90, seed=5)
    patch = unified_diff(old, new, "a/big.conf", "b/big.conf")
    assert patch.startswith("--- a/big.conf\n+++ b/big.conf\n@@ ")
    assert apply_patch(old, patch) == new
    changed = sum(1 for line in patch.splitlines() if line[:1] in "+-" and line[:3] not in ("---", "+++"))
    assert changed == cost


@within_budget
def test_large_file_with_one_change():
    lines = [f"row {i}\n" for i in range(40000)]
    old = "".join(lines)
    lines[20000] = "row twenty thousand\n"
    new = "".join(lines)
    assert diff_stat(old, new) == (1, 1)
    patch = unified_diff(old, new)
    assert "@@ -19998,7 +19998,7 @@" in patch
    assert apply_patch(old, patch) == new


@within_budget
def test_large_diff_stat_and_opcodes():
    old, new, cost = edited_pair(25000, 60, seed=9)
    added, removed = diff_stat(old, new)
    assert added + removed == cost
    blocks = opcodes(old.splitlines(True), new.splitlines(True))
    assert blocks[0].i1 == 0 and blocks[0].j1 == 0
    assert blocks[-1].i2 == len(old.splitlines()) and blocks[-1].j2 == len(new.splitlines())
    for first, second in zip(blocks, blocks[1:]):
        assert (first.i2, first.j2) == (second.i1, second.j1)


def test_cli_on_large_files(tmp_path):
    old, new, _ = edited_pair(20000, 45, seed=2)
    (tmp_path / "old.conf").write_text(old)
    (tmp_path / "new.conf").write_text(new)
    result = subprocess.run(
        [sys.executable, "-m", "difftool", "old.conf", "new.conf"],
        cwd=tmp_path, capture_output=True, text=True, timeout=15,
        env={"PYTHONPATH": str(__import__("pathlib").Path(__file__).resolve().parent.parent)},
    )
    assert result.returncode == 1
    assert apply_patch(old, result.stdout) == new


@within_budget
def test_many_changes_in_a_medium_file():
    old, new, cost = edited_pair(6000, 600, seed=4)
    assert sum(diff_stat(old, new)) == cost
    assert apply_patch(old, unified_diff(old, new, context=1)) == new


OLD = "alpha\nbeta\ngamma\ndelta\nepsilon\nzeta\neta\ntheta\niota\nkappa\nlambda\n"
NEW = "alpha\nBETA\ngamma\ndelta\nepsilon\nzeta\neta\ntheta\niota\nlambda\nmu"


def test_small_diff_exact_output():
    assert unified_diff(OLD, NEW, "a/greek", "b/greek", context=2) == (
        "--- a/greek\n+++ b/greek\n"
        "@@ -1,4 +1,4 @@\n alpha\n-beta\n+BETA\n gamma\n delta\n"
        "@@ -8,4 +8,4 @@\n theta\n iota\n-kappa\n lambda\n+mu\n"
        "\\ No newline at end of file\n"
    )
    assert opcodes(["x\n", "y\n", "z\n"], ["x\n", "q\n", "z\n", "w\n"]) == [
        Opcode("equal", 0, 1, 0, 1),
        Opcode("replace", 1, 2, 1, 2),
        Opcode("equal", 2, 3, 2, 3),
        Opcode("insert", 3, 3, 3, 4),
    ]
    assert unified_diff(OLD, OLD) == ""


def test_diffs_with_repeated_lines_stay_minimal():
    rng = random.Random(12)
    for _ in range(250):
        old = "".join(rng.choice(["}\n", "\n", "x = 1\n", "return\n"]) for _ in range(rng.randint(0, 30)))
        new = "".join(rng.choice(["}\n", "\n", "x = 1\n", "y\n"]) for _ in range(rng.randint(0, 30)))
        a, b = old.splitlines(True), new.splitlines(True)
        added, removed = diff_stat(old, new)
        assert added + removed == len(a) + len(b) - 2 * brute_lcs(a, b)
        assert apply_patch(old, unified_diff(old, new, context=rng.randint(0, 3))) == new


def test_apply_patch_rejects_a_patch_that_does_not_fit():
    patch = unified_diff(OLD, NEW)
    with pytest.raises(PatchError):
        apply_patch(OLD.replace("gamma", "GAMMA"), patch)
    with pytest.raises(PatchError):
        apply_patch(OLD, "garbage\n")
