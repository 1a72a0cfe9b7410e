"""Overhead of grading through Routr's sandbox vs. a plain `docker run --rm`.

Both sides run the same hidden tests of a small fixture task (its reference change) in
the same image. Routr: ``grade_change`` with every defence on (fresh locked-down
container, files in over an exec, Routr's hardened runner with canary tests, leftover
processes killed, the sealed JUnit report read back and checked, container removed).
Plain: ``docker run --rm`` of the task's own command with the same files bind-mounted
at /work. The runs alternate so drift on a shared machine hits both sides alike.
Target: median ratio <= 1.3 over 15 runs.

    .venv/bin/python benchmarks/sandbox_overhead.py [--runs 15] [--phases]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from routr_cli.grading import grade_change
from routr_cli.grading.grader import grading_files
from routr_cli.grading.runners import plan
from routr_cli.sandbox import DockerBackend, SandboxSpec, resolve_image
from routr_cli.tasks.load import load_task
from routr_cli.tasks.model import Task

FIXTURE = Path(__file__).resolve().parent.parent / "tests/fixtures/sandbox_tasks/py-tiny-add"
TARGET_RATIO = 1.3
PLAIN_JUNIT = "/tmp/routr-junit.xml"
# The tiny run tests/benchmarks runs so this script cannot rot (see the README there).
SMOKE_ARGS = ["--runs", "1", "--phases"]
SMOKE_DOCKER = True


def plain_docker_run(task: Task, tag: str, workdir: Path) -> float:
    start = time.monotonic()
    proc = subprocess.run(
        [
            "docker", "run", "--rm", "--network", "none",
            "-v", f"{workdir}:/work", "-w", "/work",
            "-e", f"ROUTR_JUNIT={PLAIN_JUNIT}",
            tag, "sh", "-c", task.grade.command,
        ],
        capture_output=True,
        text=True,
        timeout=task.grade.timeout_s + 30,
        check=False,
    )  # fmt: skip
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit(f"plain docker run failed ({proc.returncode}): {proc.stdout[-500:]}")
    return elapsed


def routr_grade(task: Task, backend: DockerBackend) -> float:
    start = time.monotonic()
    grade = grade_change(task, task.solution_change(), backend, raise_sandbox_errors=True)
    elapsed = time.monotonic() - start
    if not grade.solved or grade.integrity != "verified":
        sys.exit(f"the reference did not grade as solved and verified: {grade.reason}")
    return elapsed


def phase_times(task: Task, backend: DockerBackend) -> dict[str, float]:
    """One grading split into its steps, to see where Routr's time goes (no canaries)."""
    files, _ = grading_files(task, task.solution_change())
    run = plan(task.grade.command, task.image)
    marks = [("start", time.monotonic())]
    sandbox = backend.open(SandboxSpec(task.image, task.limits))
    with sandbox:
        marks.append(("create+start", time.monotonic()))
        sandbox.write_files(dict(files))
        marks.append(("write files", time.monotonic()))
        sandbox.exec(run.command, float(task.grade.timeout_s), run.env)
        marks.append(("run tests", time.monotonic()))
        sandbox.kill_strays()
        marks.append(("kill strays", time.monotonic()))
        sandbox.read_file(run.report_path)
        marks.append(("read report", time.monotonic()))
    marks.append(("remove", time.monotonic()))
    return {name: end - marks[i][1] for i, (name, end) in enumerate(marks[1:])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="measured runs per side (>= 1)")
    parser.add_argument("--phases", action="store_true", help="also time Routr's steps")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    task = load_task(FIXTURE)
    backend = DockerBackend()
    tag = resolve_image(task.image)
    with tempfile.TemporaryDirectory(prefix="routr-overhead-") as tmp:
        workdir = Path(tmp)
        workdir.chmod(0o755)
        files, _ = grading_files(task, task.solution_change())
        for rel, text in files.items():
            (workdir / rel).parent.mkdir(parents=True, exist_ok=True)
            (workdir / rel).write_text(text, encoding="utf-8")
        routr_grade(task, backend)  # warm-up: image resolution, page cache
        plain_docker_run(task, tag, workdir)
        routr_times, plain_times = [], []
        for _ in range(args.runs):
            routr_times.append(routr_grade(task, backend))
            plain_times.append(plain_docker_run(task, tag, workdir))

    routr_median = statistics.median(routr_times)
    plain_median = statistics.median(plain_times)
    ratio = routr_median / plain_median
    print(f"task: {task.id}  image: {tag}  runs: {args.runs}")
    print(f"routr grade_change   median {routr_median:.3f} s  (min {min(routr_times):.3f})")
    print(f"plain docker run     median {plain_median:.3f} s  (min {min(plain_times):.3f})")
    verdict = "OK" if ratio <= TARGET_RATIO else "ABOVE TARGET"
    print(f"ratio                {ratio:.2f}  (target <= {TARGET_RATIO}: {verdict})")
    print(
        "per-run ratios       "
        + " ".join(f"{r / p:.2f}" for r, p in zip(routr_times, plain_times, strict=True))
    )
    if args.phases:
        samples = [phase_times(task, backend) for _ in range(args.runs)]
        for phase in samples[0]:
            print(f"  {phase:<14} median {statistics.median(s[phase] for s in samples):.3f} s")


if __name__ == "__main__":
    main()
