"""Paired comparisons of two models on the tasks both have: ``compare`` and ``compare_all``.

Each comparison reads only shared tasks (same solver, same slice). The difference is
``pass_a - pass_b`` over those tasks with a paired task bootstrap (families resampled
together); the test is an exact McNemar on discordant tasks when every shared task has
one epoch, else a sign-flip permutation test on family differences. ``compare_all``
runs every pair in every slice at once (matrix products over pairs) and controls the
false discovery rate across all of them with Benjamini-Hochberg. docs/methodology.md
has the formulas.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from routr_cli.errors import ConfigError
from routr_cli.ranking.frame import stamp_text
from routr_cli.ranking.matrix import (
    ALL,
    SolverMatrix,
    bootstrap_weights,
    build_matrices,
    family_sums,
)
from routr_cli.ranking.names import resolve_category, resolve_model, resolve_solver
from routr_cli.ranking.slices import clustered_variance
from routr_cli.ranking.stats import (
    Z_80,
    Z_95,
    benjamini_hochberg,
    bh_per_test_level,
    effective_wilson,
    mcnemar_exact,
    two_sided_z,
)
from routr_cli.ranking.summary import AttemptSummary, summarise
from routr_cli.text import plural

if TYPE_CHECKING:
    import pandas as pd

ALPHA = 0.05
EQUIVALENCE_MARGIN = 0.05  # +/- 5 points: "practically equivalent" when the CI sits inside
TASK_LIST_LIMIT = 500  # compare_all lists task ids per pair only up to this many shared tasks


def _negated(value: float | None) -> float | None:
    return None if value is None else -value


def _inverted(value: float | None) -> float | None:
    return None if value is None or value == 0 else 1 / value


@dataclass(frozen=True)
class Comparison:
    a: str
    b: str
    category: str
    solver: str
    n_shared: int
    pass_a: float | None
    ci_a_low: float | None
    ci_a_high: float | None
    pass_b: float | None
    ci_b_low: float | None
    ci_b_high: float | None
    diff: float | None
    diff_ci_low: float | None
    diff_ci_high: float | None
    wins: int
    ties: int
    losses: int
    p_value: float | None
    q_value: float | None
    test: str
    mde: float | None
    tasks_needed: int | None
    cost_ratio: float | None
    latency_ratio: float | None
    winner: str | None
    verdict: str
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]
    both: tuple[str, ...]
    neither: tuple[str, ...]
    simulated: bool
    newest_attempt: str | None
    epochs: int = 1
    tasks_listed: bool = True

    def flipped(self) -> Comparison:
        """The same comparison read with B as A. Relabelling, not statistics: A's figures
        become B's, the difference and its interval change sign, wins and losses swap,
        ratios invert; the test, p, q, verdict and winner stay what they are."""
        return replace(
            self,
            a=self.b,
            b=self.a,
            pass_a=self.pass_b,
            ci_a_low=self.ci_b_low,
            ci_a_high=self.ci_b_high,
            pass_b=self.pass_a,
            ci_b_low=self.ci_a_low,
            ci_b_high=self.ci_a_high,
            diff=_negated(self.diff),
            diff_ci_low=_negated(self.diff_ci_high),
            diff_ci_high=_negated(self.diff_ci_low),
            wins=self.losses,
            losses=self.wins,
            cost_ratio=_inverted(self.cost_ratio),
            latency_ratio=_inverted(self.latency_ratio),
            only_a=self.only_b,
            only_b=self.only_a,
        )

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("only_a", "only_b", "both", "neither"):
            data[key] = list(data[key])
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Comparison:
        names = _field_names(cls)
        values = {k: v for k, v in data.items() if k in names}
        for key in ("only_a", "only_b", "both", "neither"):
            values[key] = tuple(values.get(key, ()))
        return cls(**values)


_FIELD_NAMES: dict[type, frozenset[str]] = {}


def _field_names(cls: type) -> frozenset[str]:
    """A dataclass's field names, looked up once per class: ``fields()`` walks the class
    each call, and a site build reads thousands of stored comparisons."""
    found = _FIELD_NAMES.get(cls)
    if found is None:
        found = _FIELD_NAMES[cls] = frozenset(f.name for f in fields(cls))
    return found


def compare(
    data: pd.DataFrame | AttemptSummary,
    a: str,
    b: str,
    *,
    category: str | None = None,
    solver: str | None = None,
    draws: int = 2000,
    seed: int = 0,
) -> Comparison:
    """Compare ``a`` with ``b`` on their shared tasks (of ``category``, for ``solver``)."""
    summary = data if isinstance(data, AttemptSummary) else summarise(data)
    matrices = build_matrices(summary.cells)
    if not matrices:
        raise ConfigError("no attempts recorded: run `routr bench -m MODEL` first")
    name = resolve_solver(solver, sorted(matrices))
    matrix = matrices[name]
    for model in (a, b):
        resolve_model(model, matrix.models, name)
    if a == b:
        raise ConfigError("compare needs two different models")
    scope = resolve_category(category, matrix.categories())
    newest = _newest(summary, name)
    pair = np.array([[matrix.models.index(a), matrix.models.index(b)]])
    rng = np.random.default_rng(seed)
    return _compare_pairs(matrix, scope, pair, draws, rng, newest, list_limit=None)[0]


def compare_all(
    data: pd.DataFrame | AttemptSummary, *, draws: int = 1000, seed: int = 0
) -> list[Comparison]:
    """Every pair of models in every slice (overall and per category) of every solver,
    with Benjamini-Hochberg q-values across the whole family of tests."""
    summary = data if isinstance(data, AttemptSummary) else summarise(data)
    rng = np.random.default_rng(seed)
    out: list[Comparison] = []
    for name, matrix in build_matrices(summary.cells).items():
        newest = _newest(summary, name)
        n = len(matrix.models)
        pairs = np.array([(i, j) for i in range(n) for j in range(i + 1, n)], dtype="int64")
        if not pairs.size:
            continue
        for scope in [ALL, *matrix.categories()]:
            out.extend(
                _compare_pairs(matrix, scope, pairs, draws, rng, newest, list_limit=TASK_LIST_LIMIT)
            )
    # Comparisons with no shared task have no test; they are not part of the family.
    tested = [i for i, c in enumerate(out) if c.p_value is not None]
    q_values = benjamini_hochberg([out[i].p_value or 1.0 for i in tested])
    for i, q in zip(tested, q_values, strict=True):
        out[i] = _with_q(out[i], q, len(tested))
    return out


def _newest(summary: AttemptSummary, solver: str) -> dict[str, str]:
    """Each model's latest attempt for ``solver`` (from the overall extras)."""
    extras = summary.extras
    rows = extras[(extras["solver"] == solver) & (extras["category"] == ALL)]
    out = {str(m): stamp_text(v) for m, v in zip(rows["model"], rows["newest"], strict=True)}
    return {m: v for m, v in out.items() if v is not None}


def _with_q(c: Comparison, q: float, family: int) -> Comparison:
    """Re-decide the winner at the q-value (across many comparisons a raw p < 0.05 is
    expected by chance alone), and the minimum detectable effect and tasks needed with it:
    at the per-test level BH held this comparison to (``bh_per_test_level``), not at 0.05,
    or the page would promise a resolution within n tasks that the adjusted test denies."""
    if c.p_value is None:
        return c
    mde, needed = _at_level(c, bh_per_test_level(c.p_value, q, ALPHA, family))
    winner, verdict = _verdict(
        c.a, c.b, c.n_shared, c.diff, c.diff_ci_low, c.diff_ci_high, q, needed, "q", family
    )
    return replace(c, q_value=q, mde=mde, tasks_needed=needed, winner=winner, verdict=verdict)


def _at_level(c: Comparison, level: float) -> tuple[float | None, int | None]:
    """``mde`` and ``tasks_needed`` for a two-sided test at ``level`` with 80% power.

    The standard error comes back out of the single-test ``mde`` (``mde / (Z_95 + Z_80)``):
    scalar arithmetic per comparison, no second pass over the data. At ``level == ALPHA``
    the stored figures are returned as they are (bit for bit)."""
    if c.mde is None or c.diff is None or level == ALPHA:
        return c.mde, c.tasks_needed
    mde = (two_sided_z(level) + Z_80) * (c.mde / (Z_95 + Z_80))
    return mde, _tasks_needed(c.n_shared, mde, c.diff)


def _tasks_needed(n: int, mde: float, diff: float) -> int | None:
    """Shared tasks for ``mde`` to shrink to the observed ``|diff|``: the standard error
    falls as ``1 / sqrt(n)``, so ``n (mde / |diff|)^2``. None when nothing differs."""
    return None if diff == 0 else math.ceil(n * (mde / abs(diff)) ** 2)


def _compare_pairs(
    matrix: SolverMatrix,
    category: str,
    pairs: np.ndarray,
    draws: int,
    rng: np.random.Generator,
    newest: dict[str, str],
    *,
    list_limit: int | None,
) -> list[Comparison]:
    tasks = matrix.task_columns(category)
    ids = np.array([matrix.tasks[t] for t in tasks], dtype=object)
    graded = matrix.graded[:, tasks]
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where(graded > 0, matrix.solved[:, tasks] / np.maximum(graded, 1), np.nan)
    ia, ib = pairs[:, 0], pairs[:, 1]
    sa, sb = scores[ia], scores[ib]  # (pairs, tasks)
    shared = ~np.isnan(sa) & ~np.isnan(sb)
    sa0, sb0 = np.where(shared, sa, 0.0), np.where(shared, sb, 0.0)
    fam = np.unique(matrix.task_family[tasks], return_inverse=True)[1].astype("int64")
    n_fam = int(fam.max()) + 1 if fam.size else 0
    n_shared = shared.sum(axis=1)
    a_f = family_sums(sa0, fam, n_fam)
    b_f = family_sums(sb0, fam, n_fam)
    n_f = family_sums(shared.astype("float64"), fam, n_fam)
    d_f = a_f - b_f
    with np.errstate(invalid="ignore", divide="ignore"):
        pass_a = a_f.sum(axis=0) / n_shared
        pass_b = b_f.sum(axis=0) / n_shared
        diff = pass_a - pass_b
        weights = bootstrap_weights(n_fam, draws, rng)
        boot = (weights @ d_f) / (weights @ n_f)
        var_a = _cluster_var(a_f, n_f, pass_a)
        var_b = _cluster_var(b_f, n_f, pass_b)
        var_d = _cluster_var(d_f, n_f, diff)
    lo = _nanpercentile(boot, 2.5)
    hi = _nanpercentile(boot, 97.5)
    wins = ((sa0 > sb0) & shared).sum(axis=1)
    losses = ((sa0 < sb0) & shared).sum(axis=1)
    ties = n_shared - wins - losses
    max_epochs = np.maximum(
        np.where(shared, graded[ia], 0).max(axis=1, initial=0),
        np.where(shared, graded[ib], 0).max(axis=1, initial=0),
    )
    flips = np.where(rng.random((draws, n_fam)) < 0.5, -1.0, 1.0)
    flipped = np.abs(flips @ d_f)  # (draws, pairs)
    observed = np.abs(d_f.sum(axis=0))
    sign_flip_p = (1 + (flipped >= observed[None, :] - 1e-9).sum(axis=0)) / (draws + 1)
    cost_ratio = _ratio(matrix, tasks, ia, ib, shared, "cost")
    latency_ratio = _ratio(matrix, tasks, ia, ib, shared, "latency")
    out = []
    for k in range(pairs.shape[0]):
        a, b = matrix.models[ia[k]], matrix.models[ib[k]]
        n = int(n_shared[k])
        if n == 0:
            out.append(_empty(matrix, category, a, b, ia[k], ib[k], newest))
            continue
        one_epoch = int(max_epochs[k]) <= 1
        p = mcnemar_exact(int(wins[k]), int(losses[k])) if one_epoch else float(sign_flip_p[k])
        se = math.sqrt(var_d[k]) if var_d[k] > 0 else 0.5 / math.sqrt(n)
        mde = (Z_95 + Z_80) * se
        needed = _tasks_needed(n, mde, float(diff[k]))
        winner, verdict = _verdict(a, b, n, float(diff[k]), _f(lo[k]), _f(hi[k]), p, needed, "p")
        ci_a = effective_wilson(float(pass_a[k]), int((n_f[:, k] > 0).sum()), float(var_a[k]))
        ci_b = effective_wilson(float(pass_b[k]), int((n_f[:, k] > 0).sum()), float(var_b[k]))
        listed = list_limit is None or n <= list_limit
        lists = _task_lists(ids, shared[k], sa0[k], sb0[k]) if listed else ((), (), (), ())
        stamps = [newest[m] for m in (a, b) if m in newest]
        out.append(
            Comparison(
                a=a,
                b=b,
                category=category,
                solver=matrix.solver,
                n_shared=n,
                pass_a=float(pass_a[k]),
                ci_a_low=ci_a[0],
                ci_a_high=ci_a[1],
                pass_b=float(pass_b[k]),
                ci_b_low=ci_b[0],
                ci_b_high=ci_b[1],
                diff=float(diff[k]),
                diff_ci_low=_f(lo[k]),
                diff_ci_high=_f(hi[k]),
                wins=int(wins[k]),
                ties=int(ties[k]),
                losses=int(losses[k]),
                p_value=p,
                q_value=None,
                test="mcnemar-exact" if one_epoch else "sign-flip",
                mde=mde,
                tasks_needed=needed,
                cost_ratio=_f(cost_ratio[k]),
                latency_ratio=_f(latency_ratio[k]),
                winner=winner,
                verdict=verdict,
                only_a=lists[0],
                only_b=lists[1],
                both=lists[2],
                neither=lists[3],
                simulated=bool(matrix.simulated[ia[k]] or matrix.simulated[ib[k]]),
                newest_attempt=max(stamps) if stamps else None,
                epochs=int(max_epochs[k]),
                tasks_listed=listed,
            )
        )
    return out


def _cluster_var(sums: np.ndarray, counts: np.ndarray, mean: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.nan_to_num(clustered_variance(sums, counts, mean))
    return out


def _nanpercentile(values: np.ndarray, q: float) -> np.ndarray:
    """Per column, ignoring NaN draws (a draw that picked none of a pair's shared tasks).
    np.nanpercentile works column by column, so the NaN-free columns (nearly all) go
    through one vectorised np.percentile."""
    out = np.full(values.shape[1], np.nan)
    clean = ~np.isnan(values).any(axis=0)
    if clean.any():
        out[clean] = np.percentile(values[:, clean], q, axis=0)
    some = ~clean & ~np.all(np.isnan(values), axis=0)
    if some.any():
        out[some] = np.nanpercentile(values[:, some], q, axis=0)
    return out


def _f(value: Any) -> float | None:
    v = float(value)
    return None if math.isnan(v) or math.isinf(v) else v


def _ratio(
    matrix: SolverMatrix,
    tasks: np.ndarray,
    ia: np.ndarray,
    ib: np.ndarray,
    shared: np.ndarray,
    kind: str,
) -> np.ndarray:
    """A over B on shared tasks: cost per solved task, or mean model latency per graded
    attempt. NaN when either side is unknown or zero."""
    if kind == "cost":
        num, den = matrix.cost[:, tasks], matrix.solved[:, tasks].astype("float64")
        unknown = matrix.cost_unknown[:, tasks]
    else:
        num, den = matrix.latency[:, tasks], matrix.graded[:, tasks].astype("float64")
        unknown = np.zeros(num.shape, dtype=bool)

    def side(idx: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            value = (np.where(shared, num[idx], 0).sum(axis=1)) / np.where(shared, den[idx], 0).sum(
                axis=1
            )
        bad = (unknown[idx] & shared).any(axis=1)
        return np.where(bad, np.nan, value)

    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = side(ia) / side(ib)
    return np.where(np.isfinite(ratio) & (ratio > 0), ratio, np.nan)


def _task_lists(
    ids: np.ndarray, shared: np.ndarray, sa: np.ndarray, sb: np.ndarray
) -> tuple[tuple[str, ...], ...]:
    """Shared tasks by who solved them (a task counts as solved at a score >= 0.5, i.e.
    in at least half its epochs). ``ids``: the slice's task ids as an object array."""
    a_ok, b_ok = sa >= 0.5, sb >= 0.5
    pick = [
        shared & a_ok & ~b_ok,
        shared & ~a_ok & b_ok,
        shared & a_ok & b_ok,
        shared & ~a_ok & ~b_ok,
    ]
    return tuple(tuple(ids[mask].tolist()) for mask in pick)


def _verdict(
    a: str,
    b: str,
    n: int,
    diff: float | None,
    lo: float | None,
    hi: float | None,
    p: float,
    needed: int | None,
    which: str,
    family: int = 1,
) -> tuple[str | None, str]:
    """The winner (or None) and one sentence, decided from the numbers only.

    A winner needs both the test (p, or q across ``family`` comparisons, below 0.05) and
    the bootstrap interval of the difference to exclude zero on the same side. "About N
    more shared tasks needed" is said only when ``needed`` exceeds n, and N is exactly
    ``needed - n`` (the figure shown beside the sentence is ``needed``). When n tasks
    already suffice by the power arithmetic yet there is no winner (the exact test or the
    interval disagrees with the normal approximation), the sentence says which one held."""
    if n == 0 or diff is None or lo is None or hi is None:
        return None, "cannot tell: no shared graded tasks"

    def margin(low: float, high: float) -> str:
        """The winner's lead and its interval, both as positive points."""
        return (
            f"{abs(diff) * 100:.1f} points [{low * 100:+.1f}, {high * 100:+.1f}] on "
            f"{plural(n, 'shared task')} ({which}={p:.3g})"
        )

    if p < ALPHA and lo > 0:
        return a, f"{a} is better than {b} by {margin(lo, hi)}"
    if p < ALPHA and hi < 0:
        return b, f"{b} is better than {a} by {margin(-hi, -lo)}"
    if lo >= -EQUIVALENCE_MARGIN and hi <= EQUIVALENCE_MARGIN:
        return None, (
            f"practically equivalent within +/-{EQUIVALENCE_MARGIN * 100:.0f} points "
            f"(difference {diff * 100:+.1f} [{lo * 100:+.1f}, {hi * 100:+.1f}] on {plural(n, 'shared task')})"
        )
    if needed is None:
        return None, f"cannot tell yet: no difference observed on {plural(n, 'shared task')}"
    detail = (
        f"(difference {diff * 100:+.1f} [{lo * 100:+.1f}, {hi * 100:+.1f}] on {n}, {which}={p:.3g})"
    )
    if needed > n:
        return (
            None,
            f"cannot tell yet: about {plural(needed - n, 'more shared task')} needed {detail}",
        )
    if p >= ALPHA and which == "q":
        why = f"not significant after adjusting for {plural(family, 'comparison')}"
    elif p >= ALPHA:
        why = "not significant"
    else:
        why = "the 95% interval of the difference includes 0"
    return None, f"cannot tell yet: {why} {detail}"


def _empty(
    matrix: SolverMatrix, category: str, a: str, b: str, i: int, j: int, newest: dict[str, str]
) -> Comparison:
    stamps = [newest[m] for m in (a, b) if m in newest]
    return Comparison(
        a=a, b=b, category=category, solver=matrix.solver, n_shared=0, pass_a=None,
        ci_a_low=None, ci_a_high=None, pass_b=None, ci_b_low=None, ci_b_high=None, diff=None,
        diff_ci_low=None, diff_ci_high=None, wins=0, ties=0, losses=0, p_value=None,
        q_value=None, test="none", mde=None, tasks_needed=None, cost_ratio=None,
        latency_ratio=None, winner=None, verdict="cannot tell: no shared graded tasks",
        only_a=(), only_b=(), both=(), neither=(),
        simulated=bool(matrix.simulated[i] or matrix.simulated[j]),
        newest_attempt=max(stamps) if stamps else None, epochs=0, tasks_listed=True,
    )  # fmt: skip
