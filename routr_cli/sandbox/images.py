"""Sandbox images: one per folder of ``sandboxes/``, tagged by a hash of its recipe.

Contract for a recipe folder ``sandboxes/<name>/`` (folders starting with ``_`` or
``.`` are not images): a ``Dockerfile`` that starts with ``ARG BASE_IMAGE`` and
``FROM ${BASE_IMAGE}``, installs what it needs with apt-get, and creates the non-root
user :data:`SANDBOX_UID` that owns ``/work``. The builder treats every folder alike.
The sandbox runs every image as that uid with a read-only root, so tools must keep
their state under ``/work`` or ``/tmp`` (set ``HOME=/tmp`` and any cache variables in
the Dockerfile); it relies on ``sh``, ``tar``, ``cat``, ``rm`` and coreutils' ``timeout``,
which every Debian image has.

The base is Debian trixie: a local ``debian:trixie-slim`` if a registry ever answered,
otherwise a ``debootstrap --variant=minbase`` root filesystem imported as
``routr-base:trixie-<hash>`` (built once, reused afterwards).

An image is tagged ``routr-sandbox-<name>:<hash12>`` where the hash covers every file of
the folder and the base image id, so an unchanged recipe is reused without calling
``docker build`` and any change (or a new base) rebuilds. Everything Routr makes carries
the label ``routr.managed=true``, which is what :func:`prune` looks for.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from routr_cli.errors import SandboxUnavailable
from routr_cli.paths import sandboxes_dir
from routr_cli.sandbox.base import UnknownSandboxImage
from routr_cli.sandbox.engine import (
    IMAGE_LABEL,
    KIND_LABEL,
    MANAGED_LABEL,
    RECIPE_LABEL,
    new_client,
    unavailable,
)
from routr_cli.sandbox.owner import reap_orphans_once

SANDBOX_UID = 10001
IMAGE_PREFIX = "routr-sandbox-"
BASE_REPOSITORY = "routr-base"
BASE_SUITE = "trixie"
BASE_MIRROR = "http://deb.debian.org/debian"
REGISTRY_BASE = ("debian", "trixie-slim")
RECIPE_FORMAT = "routr-recipe-v1"
BASE_RECIPE = f"debootstrap --variant=minbase {BASE_SUITE} {BASE_MIRROR} v1"
PULL_TIMEOUT_S = 20
BUILD_TIMEOUT_S = 1200
DEBOOTSTRAP_TIMEOUT_S = 900
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")

Log = Callable[[str], None]


def _stderr_log(line: str) -> None:
    sys.stderr.write(line.rstrip("\n") + "\n")


@dataclass(frozen=True)
class BuildResult:
    """What ``routr sandbox build`` did for one recipe."""

    name: str
    tag: str
    built: bool  # False when the tag already existed and was reused
    seconds: float


@dataclass(frozen=True)
class PruneResult:
    """What ``routr sandbox prune`` removed: container names and image tags."""

    containers: tuple[str, ...]
    images: tuple[str, ...]
    skipped: tuple[str, ...] = ()  # containers left alone: "name (owner alive|unknown)"
    images_in_use: tuple[str, ...] = ()  # stale tags a running container still uses


def recipe_names(root: Path | None = None) -> list[str]:
    """The image names: folders of ``sandboxes/`` holding a Dockerfile, sorted."""
    root = root or sandboxes_dir()
    if not root.is_dir():
        return []
    return sorted(
        p.name
        for p in root.iterdir()
        if p.is_dir() and not p.name.startswith(("_", ".")) and (p / "Dockerfile").is_file()
    )


def recipe_folder(name: str, root: Path | None = None) -> Path:
    """The recipe folder of ``name``; ``UnknownSandboxImage`` naming the known ones if none."""
    root = root or sandboxes_dir()
    folder = root / name
    if not NAME_RE.match(name) or not (folder / "Dockerfile").is_file():
        known = ", ".join(recipe_names(root)) or "none"
        raise UnknownSandboxImage(
            f"unknown sandbox image {name!r}: no {folder}/Dockerfile (known images: {known})"
        )
    return folder


def recipe_hash(folder: Path, base_id: str) -> str:
    """12 hex digits over the folder's files (paths and bytes) and the base image id."""
    digest = hashlib.sha256(f"{RECIPE_FORMAT}\0{base_id}\0".encode())
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        digest.update(f"{rel}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:12]


def image_tag(name: str, recipe: str) -> str:
    """``routr-sandbox-<name>:<recipe hash>``: a changed recipe gets a new tag, never reuse."""
    return f"{IMAGE_PREFIX}{name}:{recipe}"


def local_base_tag() -> str:
    """The debootstrapped base's tag, hashed from how it is made, so a new recipe rebuilds."""
    return f"{BASE_REPOSITORY}:{BASE_SUITE}-{hashlib.sha256(BASE_RECIPE.encode()).hexdigest()[:12]}"


def _image_id(client: Any, ref: str) -> str | None:
    from docker.errors import DockerException, ImageNotFound

    try:
        return str(client.images.get(ref).id)
    except ImageNotFound:
        return None
    except DockerException as exc:
        raise unavailable(f"inspect image {ref}", exc) from exc


def find_base(client: Any) -> tuple[str, str] | None:
    """The base image already present here, as (reference, id), without pulling or building."""
    for ref in (local_base_tag(), ":".join(REGISTRY_BASE)):
        found = _image_id(client, ref)
        if found:
            return ref, found
    return None


def ensure_base(client: Any, log: Log = _stderr_log) -> tuple[str, str]:
    """The base image, pulled (briefly tried) or debootstrapped when it is not here yet."""
    found = find_base(client)
    if found:
        return found
    ref = ":".join(REGISTRY_BASE)
    log(f"routr: trying `docker pull {ref}` (at most {PULL_TIMEOUT_S} s)...")
    pulled = _try_pull(*REGISTRY_BASE)
    if pulled:
        return ref, pulled
    log("routr: no registry answered; building the base with debootstrap (about a minute)...")
    return _debootstrap_base(log)


def _try_pull(repository: str, tag: str) -> str | None:
    from docker.errors import DockerException
    from requests.exceptions import RequestException

    try:
        client = new_client(PULL_TIMEOUT_S)
        return str(client.images.pull(repository, tag=tag).id)
    except (DockerException, RequestException, SandboxUnavailable, OSError):
        return None


def _debootstrap_base(log: Log) -> tuple[str, str]:
    tag = local_base_tag()
    if shutil.which("debootstrap") is None or os.geteuid() != 0:
        raise SandboxUnavailable(
            "cannot build the Debian base image: it needs root and debootstrap "
            "(run `make setup` as root, or make `docker pull debian:trixie-slim` work)"
        )
    with tempfile.TemporaryDirectory(prefix="routr-base-") as tmp:
        rootfs = Path(tmp) / "rootfs"
        cmd = ["debootstrap", "--variant=minbase", BASE_SUITE, str(rootfs), BASE_MIRROR]
        try:
            proc = subprocess.run(
                cmd, capture_output=True, text=True, timeout=DEBOOTSTRAP_TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise SandboxUnavailable(
                f"debootstrap did not finish in {DEBOOTSTRAP_TIMEOUT_S} s: "
                f"check that {BASE_MIRROR} is reachable and retry"
            ) from exc
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
            raise SandboxUnavailable(
                f"debootstrap failed ({tail[0][:200]}): check that {BASE_MIRROR} is reachable"
            )
        for junk in ("var/lib/apt/lists", "var/cache/apt", "usr/share/doc", "usr/share/man"):
            target = rootfs / junk
            if target.is_dir():
                for child in target.iterdir():
                    if child.is_dir() and not child.is_symlink():
                        shutil.rmtree(child, ignore_errors=True)
                    else:
                        child.unlink(missing_ok=True)
        archive = Path(tmp) / "rootfs.tar"
        subprocess.run(
            ["tar", "--numeric-owner", "-C", str(rootfs), "-cf", str(archive), "."],
            check=True,
            timeout=600,
        )
        log(f"routr: importing the base image as {tag}...")
        client = new_client(600)
        repository, _, version = tag.partition(":")
        changes = [
            "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "ENV LANG=C.UTF-8",
            f"LABEL {MANAGED_LABEL}=true {KIND_LABEL}=base",
            'CMD ["/bin/bash"]',
        ]
        from docker.errors import DockerException

        try:
            client.api.import_image_from_file(
                str(archive), repository=repository, tag=version, changes=changes
            )
        except DockerException as exc:
            raise unavailable("import the debootstrapped base image", exc) from exc
    image_id = _image_id(client, tag)
    if image_id is None:
        raise SandboxUnavailable(f"docker import did not produce {tag}: see `docker images`")
    return tag, image_id


def build_images(
    names: list[str] | None = None, *, log: Log = _stderr_log, verbose: bool = False
) -> list[BuildResult]:
    """Build (or reuse) the image of each named recipe, all recipes by default."""
    root = sandboxes_dir()
    wanted = names or recipe_names(root)
    if not wanted:
        raise SandboxUnavailable(
            f"no sandbox recipes under {root}: add sandboxes/<name>/Dockerfile"
        )
    folders = {name: recipe_folder(name, root) for name in wanted}
    client = new_client(600)
    reap_orphans_once(client)  # every routr start that uses Docker clears orphans
    base_ref, base_id = ensure_base(client, log)
    results = []
    for name, folder in folders.items():
        start = time.monotonic()
        recipe = recipe_hash(folder, base_id)
        tag = image_tag(name, recipe)
        if _image_id(client, tag):
            results.append(BuildResult(name, tag, False, time.monotonic() - start))
            continue
        log(f"routr: building {tag} from {folder}...")
        _build_one(client, name, folder, tag, recipe, base_ref, log if verbose else None)
        results.append(BuildResult(name, tag, True, time.monotonic() - start))
    return results


def _build_one(
    client: Any, name: str, folder: Path, tag: str, recipe: str, base_ref: str, log: Log | None
) -> None:
    from docker.errors import DockerException
    from requests.exceptions import RequestException

    deadline = time.monotonic() + BUILD_TIMEOUT_S
    labels = {MANAGED_LABEL: "true", IMAGE_LABEL: name, RECIPE_LABEL: recipe, KIND_LABEL: "sandbox"}
    tail: list[str] = []
    try:
        stream = client.api.build(
            path=str(folder),
            tag=tag,
            buildargs={"BASE_IMAGE": base_ref},
            labels=labels,
            rm=True,
            forcerm=True,
            pull=False,
            decode=True,
        )
        for chunk in stream:
            if "error" in chunk:
                detail = str(chunk.get("error", "")).strip().splitlines()
                last = detail[-1] if detail else "unknown error"
                context = f" (last output: {tail[-1][:160]})" if tail else ""
                raise SandboxUnavailable(
                    f"building sandbox image {name!r} failed: {last[:300]}{context}: "
                    f"fix {folder}/Dockerfile and run `routr sandbox build {name}`"
                )
            text = str(chunk.get("stream", "")).rstrip()
            if text:
                tail = [*tail[-20:], text]
                if log is not None:
                    log(text)
            if time.monotonic() > deadline:
                stream.close()
                raise SandboxUnavailable(
                    f"building sandbox image {name!r} took over {BUILD_TIMEOUT_S} s: "
                    "check the network to deb.debian.org and retry"
                )
    except (DockerException, RequestException) as exc:
        raise unavailable(f"build sandbox image {name!r}", exc) from exc
    if not _image_id(client, tag):
        raise SandboxUnavailable(f"docker build of {name!r} finished without producing {tag}")


def current_tags(client: Any, root: Path | None = None) -> dict[str, str]:
    """{name: tag} the recipes here resolve to now (empty when no base image exists yet)."""
    base = find_base(client)
    if base is None:
        return {}
    root = root or sandboxes_dir()
    return {name: image_tag(name, recipe_hash(root / name, base[1])) for name in recipe_names(root)}


def resolve_image(name: str, client: Any | None = None) -> str:
    """The tag of the built, current image for recipe ``name``; raises when it is not built."""
    folder = recipe_folder(name)
    client = client or new_client()
    not_built = SandboxUnavailable(
        f"sandbox image {name!r} is not built: run `routr sandbox build` (or make setup)"
    )
    base = find_base(client)
    if base is None:
        raise not_built
    tag = image_tag(name, recipe_hash(folder, base[1]))
    if _image_id(client, tag) is None:
        raise not_built
    return tag


def prune(
    names: list[str] | None = None,
    *,
    force: bool = False,
    dry_run: bool = False,
    log: Log = _stderr_log,
) -> PruneResult:
    """Remove Routr's orphaned containers and sandbox images that are not current.

    A container goes only when its owner (the routr process that started it) is gone,
    so pruning never pulls a sandbox from under another live run; ``force`` removes
    every Routr container, owner alive or unknown. ``names`` restricts both to those
    recipes (``routr.image`` label); by default every stale ``routr-sandbox-*`` image
    goes, including images of recipes that no longer exist. ``dry_run`` removes nothing
    and returns what would go (``skipped``: containers left alone, and why).
    """
    from docker.errors import APIError, DockerException, NotFound

    from routr_cli.sandbox.owner import remove_container, routr_containers, select_removable

    client = new_client(120)
    wanted = set(names) if names else None
    removed_containers: list[str] = []
    removed_images: list[str] = []
    skipped: list[str] = []
    kept_images: list[str] = []
    managed = {"label": f"{MANAGED_LABEL}=true"}
    try:
        candidates = routr_containers(client)
        images = client.images.list(filters=managed)
        if wanted is not None:
            # A typo must not look like "nothing to prune": a name is fine when it is a
            # recipe, or when something Routr made still carries it (a removed recipe).
            labelled: set[str | None] = {c.image for c in candidates}
            labelled |= {(i.labels or {}).get(IMAGE_LABEL) for i in images}
            unknown = sorted(wanted - labelled - set(recipe_names()))
            if unknown:
                known = ", ".join(recipe_names()) or "none"
                raise UnknownSandboxImage(
                    f"unknown sandbox image {unknown[0]!r}: nothing Routr made carries it "
                    f"(known images: {known})"
                )
        chosen = {c.name for c in select_removable(candidates, force=force, images=wanted)}
        for candidate in candidates:
            if wanted is not None and candidate.image not in wanted:
                continue
            if candidate.name not in chosen:
                skipped.append(f"{candidate.name} (owner {candidate.owner})")
                continue
            if not dry_run:
                if not remove_container(client, candidate.name):
                    continue
                log(f"removed container {candidate.name}")
            removed_containers.append(candidate.name)
        keep = set(current_tags(client).values())
        for image in images:
            tags = [t for t in image.tags if t.startswith(IMAGE_PREFIX)]
            name = (image.labels or {}).get(IMAGE_LABEL)
            if not tags or keep & set(tags) or (wanted is not None and name not in wanted):
                continue
            for tag in tags:
                if not dry_run:
                    try:
                        client.images.remove(tag, noprune=False)
                    except NotFound:
                        continue
                    except APIError as exc:
                        if exc.status_code != 409:
                            raise
                        # another routr's container still runs from it: not ours to pull
                        kept_images.append(tag)
                        continue
                    log(f"removed image {tag}")
                removed_images.append(tag)
    except DockerException as exc:
        raise unavailable("prune Routr containers and images", exc) from exc
    return PruneResult(
        tuple(removed_containers), tuple(removed_images), tuple(skipped), tuple(kept_images)
    )
