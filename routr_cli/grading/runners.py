"""How a graded test run is started: Routr's own runner for the standard commands.

A task's ``[grade].command`` is a shell string, and for the three standard commands
(the ones sandboxes/*/README.md documents, the bundled tasks use and the importers
write) Routr runs a hardened equivalent instead, so the repository can neither
reconfigure nor replace the runner (docs/threat-model.md):

- pytest: ``python3 -I`` from /opt/routr (no /work on the import path at start-up, no
  ``PYTHON*`` variables, no user site), plugin autoloading off, Routr's own
  ``pytest.ini`` given with ``-c`` and ``--rootdir=/work`` (the repository's
  ``pyproject.toml``/``setup.cfg``/``tox.ini``/``.pytest.ini`` never apply), and only
  Routr's plugin named with ``-p``;
- Node: ``node --test`` with ``NODE_OPTIONS`` emptied and the reporter named by its
  absolute path in /opt/routr (no ``node_modules`` or package.json ``imports`` lookup);
- Go: ``go test`` with ``GOFLAGS`` emptied (no ``-modfile``, ``-overlay`` or ``-exec``),
  ``GOWORK=off`` (a ``go.work`` is ignored), ``GOENV=off``, the local toolchain only and
  vet off.

Each of Routr's reporters seals the report on file descriptor 3, which the run wrapper
points at the exec's stdout (the test output goes to stderr): see ``integrity``.
Any other command runs as written; it gets neither seal nor canaries, and its grades
say ``integrity="unverified"``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from routr_cli.grading.canaries import RunnerKind

# The standard commands, as written in task.toml (whitespace-normalised when compared).
STANDARD_COMMANDS: dict[str, RunnerKind] = {
    "python3 -m pytest -q -p no:cacheprovider --junitxml=$ROUTR_JUNIT tests": "pytest",
    "python -m pytest -q -p no:cacheprovider --junitxml=$ROUTR_JUNIT tests": "pytest",
    (
        "node --test --test-reporter=/opt/routr/junit-reporter.mjs "
        "--test-reporter-destination=$ROUTR_JUNIT --test-reporter=spec "
        "--test-reporter-destination=stdout tests/"
    ): "node",
    (
        "cp -r tests/. . && rm -r tests && go-junit $ROUTR_JUNIT -- "
        "go test -json -count=1 -vet=off -timeout 60s ./..."
    ): "go",
    (
        "cp -r tests/. . && rm -r tests && go-junit $ROUTR_JUNIT -- "
        "go test -json -count=1 -timeout 60s ./..."
    ): "go",
}

# The image that carries each runner's files in /opt/routr (sandboxes/<image>/): a
# standard command in another image (a recipe a user added) runs as written.
RUNNER_IMAGE: dict[RunnerKind, str] = {"pytest": "python", "node": "node", "go": "go"}

# What Routr runs instead. ROUTR_JUNIT is set by the grader (a fresh path per grading).
HARDENED_COMMANDS: dict[RunnerKind, str] = {
    "pytest": (
        "python3 -I -B /opt/routr/run_pytest.py -c /opt/routr/pytest.ini --rootdir=/work "
        "--confcutdir=/work -p no:cacheprovider -p routr_pytest -q "
        '--junitxml="$ROUTR_JUNIT" tests'
    ),
    "node": (
        "node --test --test-reporter=/opt/routr/junit-reporter.mjs "
        '--test-reporter-destination="$ROUTR_JUNIT" --test-reporter=spec '
        "--test-reporter-destination=stdout tests/"
    ),
    "go": (
        'cp -r tests/. . && rm -r tests && go-junit "$ROUTR_JUNIT" -- '
        "go test -json -count=1 -vet=off -timeout 60s ./..."
    ),
}

HARDENED_ENV: dict[RunnerKind, dict[str, str]] = {
    "pytest": {
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "PYTEST_ADDOPTS": "",
        "PYTEST_PLUGINS": "",
    },
    "node": {"NODE_OPTIONS": "", "NODE_PATH": ""},
    "go": {
        "GOFLAGS": "",
        "GOWORK": "off",
        "GOENV": "off",
        "GOTOOLCHAIN": "local",
        "GOPROXY": "off",
    },
}

# The seal pipe: fd 3 is the exec's stdout, everything the tests print goes to stderr.
SEAL_PIPE_PREFIX = "exec 3>&1 1>&2\n"


@dataclass(frozen=True)
class RunPlan:
    """What one grading runs: the shell command, its environment and the report path."""

    command: str
    env: dict[str, str]
    report_path: str
    kind: RunnerKind | None  # None: the task's own command, run as written
    sealed: bool  # the reporter seals the report on fd 3 (stdout is the seal pipe)


def standard_kind(command: str, image: str | None = None) -> RunnerKind | None:
    """Which standard runner ``command`` is (in ``image``, when given: the runner's own
    image must carry Routr's files), or None for a task's own command."""
    kind = STANDARD_COMMANDS.get(" ".join(command.split()))
    if kind is None or (image is not None and RUNNER_IMAGE[kind] != image):
        return None
    return kind


def plan(
    command: str, image: str | None = None, *, hardened: bool = True, sealed: bool = True
) -> RunPlan:
    """The run for ``command`` in ``image``: Routr's runner when it is a standard one in
    its own image and ``hardened``.

    ``hardened=False`` runs the command as written (the attack suite's control);
    ``sealed=False`` keeps stdout as test output and reads the report unsealed.
    """
    report_path = f"/tmp/routr-junit-{secrets.token_hex(8)}.xml"
    kind = standard_kind(command, image)
    env = {"ROUTR_JUNIT": report_path}
    if kind is None:
        return RunPlan(command, env, report_path, None, False)
    if hardened:
        command = HARDENED_COMMANDS[kind]
        env = {**HARDENED_ENV[kind], **env}
    if sealed:
        command = SEAL_PIPE_PREFIX + command
    return RunPlan(command, env, report_path, kind, sealed)
