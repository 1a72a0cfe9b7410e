"""`routr call`: route one request to the best model for it; parse, call, render.

The answer goes to stdout (streamed as it arrives unless ``--no-stream``) with terminal
control characters made visible (a model's answer is hostile input: it must not move the
cursor or retitle the window; ``--json`` carries it exactly, escaped as JSON); the decision
(``--explain``), the footer and errors go to stderr, so ``routr call ... > answer.txt``
keeps only the answer. ``--dry-run`` and ``--json`` print data to stdout instead.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from routr_cli.text import plural

if TYPE_CHECKING:
    from routr_cli.router.executor import CallResult
    from routr_cli.router.policy import Candidate, Decision


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def _usd(value: float | None) -> str:
    if value is None:
        return "unknown"
    return f"${value:.6f}" if value < 0.01 else f"${value:.4f}"


def _label(candidate: Candidate) -> str:
    from routr_cli.providers.sim.catalog import display_name

    return display_name(candidate.model, candidate.simulated)


def explain_lines(decision: Decision) -> list[str]:
    """The decision in words: the slice, each candidate and why, what was left out."""
    f = decision.features
    if f.overridden:
        why = "given with --category"
    elif f.categories:
        top = sorted(f.categories.items(), key=lambda kv: -kv[1])[:3]
        why = ", ".join(f"{c} {w:.2f}" for c, w in top)
        words = f.evidence.get(decision.category) if decision.category != "all" else None
        if words:
            why += f"; words: {', '.join(list(words)[:5])}"
    else:
        why = "no category recognised"
    lines = [
        f"route: objective {decision.objective}; standings slice '{decision.category}' ({why})"
        + (f"; language {f.language}" if f.language else ""),
        f"request: ~{f.input_tokens} input tokens, up to {f.output_tokens} output tokens",
    ]
    for position, c in enumerate(decision.candidates, start=1):
        interval = (
            f"expected pass {_pct(c.pass_rate)} [95% CI {_pct(c.ci_low)}-{_pct(c.ci_high)}], "
            f"n={plural(c.n_tasks, 'task')}"
            if c.pass_rate is not None
            else "no bench evidence"
        )
        lines.append(
            f"  {position}. {_label(c)}: {interval}; expected cost {_usd(c.expected_cost_usd)}"
        )
        lines.extend(f"       - {reason}" for reason in c.reasons)
    for model, reason in decision.rejected:
        lines.append(f"  x  {model}: {reason}")
    if any(c.simulated for c in decision.candidates):
        lines.append("  (simulated) models: invented figures that exercise the pipeline")
    return lines


def _decision_json(decision: Decision) -> dict[str, Any]:
    from routr_cli.router.call_log import candidate_json

    f = decision.features
    return {
        "objective": decision.objective,
        "category": decision.category,
        "categories": dict(f.categories),
        "language": f.language,
        "input_tokens": f.input_tokens,
        "candidates": [
            dict(c, simulated=cand.simulated, label=_label(cand))
            for c, cand in zip(candidate_json(decision), decision.candidates, strict=True)
        ],
        "rejected": [{"model": m, "reason": r} for m, r in decision.rejected],
    }


def _result_json(call_id: str, decision: Decision, result: CallResult) -> dict[str, Any]:
    return {
        "id": call_id,
        "status": result.status,
        "served_model": result.served_model,
        "simulated": result.simulated,
        "text": result.text,
        "partial": result.partial,
        "error": result.error,
        "error_class": result.error_class,
        "usage": {
            "input_tokens": result.usage.input_tokens,
            "output_tokens": result.usage.output_tokens,
        },
        "cost_usd": result.cost_usd,
        "latency_s": round(result.latency_s, 4),
        "ttft_s": None if result.ttft_s is None else round(result.ttft_s, 4),
        "attempts": [a.as_json() for a in result.attempts],
        "decision": _decision_json(decision),
    }


def _footer(call_id: str, result: CallResult) -> str:
    from routr_cli.providers.sim.catalog import display_name

    tried = len([a for a in result.attempts if a.status != "skipped"])
    fell = f", after {plural(tried - 1, 'failed candidate')}" if tried > 1 else ""
    served = display_name(result.served_model or "-", result.simulated)
    return (
        f"served by {served}{fell}; {result.usage.input_tokens} in / "
        f"{result.usage.output_tokens} out tokens; cost {_usd(result.cost_usd)}; "
        f"{result.latency_s:.2f} s; {call_id} "
        f"(grade it: routr feedback {call_id} --pass|--fail)"
    )


def call(
    prompt: str | None = typer.Argument(None, help="The request (default: standard input)."),
    model: str = typer.Option(
        "auto", "-m", "--model", help="auto, auto:cheap, auto:fast, or MODEL[,MODEL...] in order."
    ),
    system: str | None = typer.Option(None, "-s", "--system", help="A system prompt."),
    category: str | None = typer.Option(None, "--category", help="Override the inferred category."),
    language: str | None = typer.Option(None, "--language", help="Override the inferred language."),
    max_price: str | None = typer.Option(
        None, "--max-price", help="Ceiling in USD per 1M tokens: IN or IN,OUT."
    ),
    provider: list[str] = typer.Option([], "--provider", help="Only these providers (repeatable)."),
    exclude_provider: list[str] = typer.Option(
        [], "--exclude-provider", help="Never these providers (repeatable)."
    ),
    zdr: bool = typer.Option(
        False, "--zdr", help="Only providers declaring zdr or data_collection=deny."
    ),
    min_pass: float | None = typer.Option(
        None, "--min-pass", help="Minimum pass rate in the category (0-1)."
    ),
    max_latency: float | None = typer.Option(
        None, "--max-latency", help="Maximum median latency in seconds."
    ),
    cheap_margin: float = typer.Option(
        0.05, "--cheap-margin", help="auto:cheap: how far below the best's pass rate (0-1)."
    ),
    explain: bool = typer.Option(False, "--explain", help="Show the candidates and why."),
    dry_run: bool = typer.Option(False, "--dry-run", help="The decision and its cost; no call."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    no_stream: bool = typer.Option(False, "--no-stream", help="Print the answer when complete."),
    continue_last: bool = typer.Option(
        False, "-c", "--continue", help="Continue the last conversation."
    ),
    log_content: bool = typer.Option(
        False,
        "--log-content",
        help="Store prompt and answer in the call log (ROUTR_LOG_CONTENT=1).",
    ),
    timeout: float = typer.Option(120.0, "--timeout", help="Deadline for the whole call (s)."),
    max_tokens: int | None = typer.Option(None, "--max-tokens", help="Answer token budget."),
    sim_latency: float = typer.Option(
        1.0, "--sim-latency", help="Scale the simulated models' latency (0: at once)."
    ),
    db: Path | None = typer.Option(
        None, "--db", help="Standings and call log (default: reports/routr.duckdb or $ROUTR_DB)."
    ),
) -> None:
    """Route a request to the best model for it, by the measured standings."""
    from routr_cli.errors import ConfigError
    from routr_cli.paths import default_db
    from routr_cli.router.policy import Constraints
    from routr_cli.router.session import CallOptions, execute, parse_max_price, prepare

    text = prompt
    if text is None:
        if sys.stdin.isatty():
            raise ConfigError('no prompt: pass it as an argument (routr call "...") or on stdin')
        text = sys.stdin.read()
    if timeout <= 0 or sim_latency < 0 or not 0 <= cheap_margin <= 1:
        raise ConfigError("--timeout must be > 0, --sim-latency >= 0, --cheap-margin in 0-1")
    max_in, max_out = parse_max_price(max_price)
    options = CallOptions(
        prompt=text,
        db=db if db is not None else default_db(),
        objective=model,
        system=system,
        category=category,
        language=language,
        constraints=Constraints(
            max_input_per_mtok=max_in,
            max_output_per_mtok=max_out,
            min_pass_rate=min_pass,
            providers=tuple(provider),
            exclude_providers=tuple(exclude_provider),
            zdr=zdr,
            max_latency_s=max_latency,
            cheap_margin=cheap_margin,
        ),
        stream=not (no_stream or as_json),
        continue_last=continue_last,
        log_content=log_content,
        deadline_s=timeout,
        max_tokens=max_tokens,
        sim_latency=sim_latency,
    )
    prepared = prepare(options)
    decision = prepared.decision
    if dry_run:
        if as_json:
            typer.echo(json.dumps(_decision_json(decision), indent=2))
        else:
            typer.echo("\n".join(explain_lines(decision)))
        return
    if explain and not as_json:
        typer.echo("\n".join(explain_lines(decision)), err=True)

    from routr_cli.cli.render import safe_text

    def show(delta: str) -> None:
        sys.stdout.write(safe_text(delta))
        sys.stdout.flush()

    call_id, result = execute(options, prepared, show)
    if as_json:
        typer.echo(json.dumps(_result_json(call_id, decision, result), indent=2))
    elif options.stream:
        if result.text or result.partial:
            sys.stdout.write("\n")
    elif result.ok:
        typer.echo(safe_text(result.text))
    if not result.ok:
        if not as_json:
            typer.echo(f"error: {result.error}", err=True)
        raise typer.Exit(result.exit_code)
    if not as_json:
        typer.echo(_footer(call_id, result), err=True)
