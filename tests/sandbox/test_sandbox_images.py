"""Image recipes: hashing, reuse without docker build, rebuild on change, prune, errors."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from docker.errors import NotFound

from routr_cli.errors import SandboxUnavailable
from routr_cli.sandbox.base import UnknownSandboxImage
from routr_cli.sandbox.engine import IMAGE_LABEL, MANAGED_LABEL, new_client
from routr_cli.sandbox.images import (
    build_images,
    prune,
    recipe_hash,
    recipe_names,
    resolve_image,
)
from routr_cli.sandbox.owner import owner_labels

RECIPE = "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nRUN echo {marker} > /routr-test-marker\n"


def test_recipe_hash_covers_files_and_base(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM x\n")
    first = recipe_hash(tmp_path, "sha256:base1")
    assert first == recipe_hash(tmp_path, "sha256:base1") and len(first) == 12
    assert recipe_hash(tmp_path, "sha256:base2") != first
    (tmp_path / "helper.sh").write_text("echo\n")
    assert recipe_hash(tmp_path, "sha256:base1") != first


def test_recipe_names_skip_private_and_incomplete_folders(tmp_path: Path) -> None:
    for name in ("python", "_base", "notes", "go"):
        (tmp_path / name).mkdir()
    for name in ("python", "_base", "go"):
        (tmp_path / name / "Dockerfile").write_text("FROM x\n")
    assert recipe_names(tmp_path) == ["go", "python"]


@pytest.fixture
def scratch_recipes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, str]]:
    """A sandboxes/ folder with one throwaway recipe; its images are removed afterwards."""
    name = f"routrtest-{uuid.uuid4().hex[:8]}"
    (tmp_path / name).mkdir()
    (tmp_path / name / "Dockerfile").write_text(RECIPE.replace("{marker}", "v1"))
    monkeypatch.setenv("ROUTR_SANDBOXES", str(tmp_path))
    yield tmp_path, name
    client = new_client()
    for image in client.images.list(filters={"label": f"{IMAGE_LABEL}={name}"}):
        for tag in image.tags:
            client.images.remove(tag, force=True)


@pytest.mark.docker
def test_build_reuses_unchanged_recipes_and_rebuilds_changed_ones(
    scratch_recipes: tuple[Path, str],
) -> None:
    root, name = scratch_recipes
    with pytest.raises(SandboxUnavailable, match=f"sandbox image '{name}' is not built"):
        resolve_image(name)

    (first,) = build_images([name])
    assert first.built and first.tag.startswith(f"routr-sandbox-{name}:")
    assert resolve_image(name) == first.tag
    labels = new_client().images.get(first.tag).labels
    assert labels[MANAGED_LABEL] == "true" and labels[IMAGE_LABEL] == name

    (again,) = build_images([name])
    assert not again.built and again.tag == first.tag and again.seconds < 5

    (root / name / "Dockerfile").write_text(RECIPE.replace("{marker}", "v2"))
    (changed,) = build_images([name])
    assert changed.built and changed.tag != first.tag
    assert resolve_image(name) == changed.tag

    client = new_client()
    gone = subprocess.Popen(["sleep", "30"])
    dead_owner = owner_labels(gone.pid)
    gone.kill()
    gone.wait()
    leftover = client.containers.create(
        changed.tag, ["true"], labels={MANAGED_LABEL: "true", IMAGE_LABEL: name, **dead_owner}
    )
    # a live run still on the old recipe: its container and the stale image it uses stay
    live = client.containers.create(
        first.tag, ["true"], labels={MANAGED_LABEL: "true", IMAGE_LABEL: name, **owner_labels()}
    )
    # Any routr starting meanwhile on this shared engine may reap the orphan first (by
    # design), so it is "gone after the prune", not necessarily "removed by this one".
    orphan_only = {(), (leftover.name,)}
    try:
        listed = prune([name], dry_run=True, log=lambda _line: None)
        assert listed.containers in orphan_only and listed.images == (first.tag,)
        assert client.images.get(first.tag) is not None  # a dry run removes nothing
        assert client.containers.get(live.name) is not None
        result = prune([name], log=lambda _line: None)
        assert result.containers in orphan_only  # the live owner's container stays
        assert result.skipped == (f"{live.name} (owner alive)",)
        assert result.images == () and result.images_in_use == (first.tag,)
        with pytest.raises(NotFound):
            client.containers.get(leftover.name)
        assert client.containers.get(live.name) is not None
        forced = prune([name], force=True, log=lambda _line: None)
        assert forced.containers == (live.name,) and forced.images == (first.tag,)
    finally:
        with contextlib.suppress(NotFound):
            live.remove(force=True)
    assert client.images.get(changed.tag) is not None


@pytest.mark.docker
def test_unknown_recipe_names_the_known_ones() -> None:
    with pytest.raises(UnknownSandboxImage, match=r"unknown sandbox image 'nope'.*python"):
        resolve_image("nope")
    # prune of a name nobody knows says so, instead of "pruned 0 containers and 0 images"
    with pytest.raises(UnknownSandboxImage, match=r"'nope': nothing Routr made carries it"):
        prune(["nope"], log=lambda _line: None)
    build = subprocess.run(
        [str(Path(sys.executable).parent / "routr"), "sandbox", "build", "nope"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert build.returncode == 2  # a name nobody knows is bad input, not Docker failing
    assert build.stderr.startswith("error: unknown sandbox image 'nope'")
    assert build.stderr.count("\n") == 1


def test_a_dead_engine_is_one_line_naming_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/routr-docker.sock")
    with pytest.raises(SandboxUnavailable) as caught:
        new_client(timeout=5)
    message = str(caught.value)
    assert message.startswith("Docker engine is not running: start it")
    assert "\n" not in message
