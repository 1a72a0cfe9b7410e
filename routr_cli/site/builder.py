"""``build_site(data, out, options)``: plan, render and write the static site.

Deterministic: pages, sitemaps and data files are sorted and carry no build time, so
the same data gives byte-identical trees. Incremental: a manifest of content hashes
(``.routr-site.json``) lets a rebuild rewrite only the files whose bytes changed and
delete the ones no longer produced (a pair whose model left), and the report says how
many. ``downloads/`` is written by the caller (it comes from the store) and is left
alone here.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from routr_cli.site import plan, plan_extra, plan_pairs, seo
from routr_cli.site.formatting import day
from routr_cli.site.inputs import SiteData, SiteOptions
from routr_cli.site.page import Page
from routr_cli.site.render import Renderer
from routr_cli.text import plural

MANIFEST = ".routr-site.json"
STATIC_FILES = ("static/site.css", "grader/grader.js")
KEPT_PREFIXES = ("downloads/",)


@dataclass(frozen=True)
class BuildReport:
    pages: int
    indexable: int
    thin: int
    redirects: int
    files: int
    written: int
    unchanged: int
    removed: int
    plan_s: float
    render_s: float
    write_s: float

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.render_s if self.render_s > 0 else float("inf")

    def summary(self) -> str:
        return (
            f"{self.pages} pages ({self.indexable} indexable, {self.thin} thin, "
            f"{self.redirects} redirects); rewrote {self.written} of {plural(self.files, 'file')}, "
            f"{self.unchanged} unchanged, {self.removed} removed"
        )


def plan_site(data: SiteData, options: SiteOptions) -> tuple[plan.SiteFacts, list[Page]]:
    """Every page of the site, in a stable order."""
    facts = plan.SiteFacts(data, options)
    pairs = plan_pairs.pair_pages(facts)
    pages = [
        plan.home_page(facts),
        *plan.category_pages(facts),
        *plan.language_pages(facts),
        *plan.model_pages(facts),
        plan_pairs.compare_index(facts, pairs),
        *pairs,
        plan.tasks_index(facts),
        *plan.task_pages(facts),
        plan_extra.methodology_page(facts),
        plan_extra.grader_page(facts),
        plan_extra.downloads_page(facts),
        plan_extra.not_found_page(facts),
    ]
    return facts, pages


def sitemap_groups(pages: list[Page]) -> dict[str, list[seo.SitemapEntry]]:
    groups: dict[str, list[seo.SitemapEntry]] = {
        g: [] for g in ("pages", "categories", "languages", "models", "compare", "tasks")
    }
    for page in pages:
        if page.group is not None and page.indexable:
            groups.setdefault(page.group, []).append(seo.SitemapEntry(page.path, day(page.lastmod)))
    return groups


def _static(name: str) -> bytes:
    return resources.files("routr_cli.site").joinpath(name).read_bytes()


def render_files(facts: plan.SiteFacts, pages: list[Page]) -> tuple[dict[str, bytes], float]:
    """Path -> bytes for every generated file, and the seconds spent rendering pages."""
    renderer = Renderer(facts)
    started = time.perf_counter()
    files = {page.file: renderer.render(page) for page in pages}
    render_s = time.perf_counter() - started
    root = facts.options.root_url
    for path, text in seo.sitemap_files(sitemap_groups(pages), root).items():
        files[path] = text.encode()
    files["robots.txt"] = seo.robots_txt(root).encode()
    for name in STATIC_FILES:
        files[name] = _static(name)
    grader = plan_extra.grader_data(facts)
    if grader is not None:
        files[plan_extra.GRADER_DATA] = (
            json.dumps(grader, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
        ).encode()
    return files, render_s


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def write_tree(out: Path, files: Mapping[str, bytes]) -> tuple[int, int, int]:
    """Write what changed since the last build; return (written, unchanged, removed).

    A file is rewritten when its hash differs from the manifest's or it is missing on
    disk; one the last build wrote and this one does not is deleted.
    """
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / MANIFEST
    try:
        old: dict[str, str] = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        old = {}
    new: dict[str, str] = {}
    written = unchanged = 0
    made_dirs: set[Path] = set()
    for path in sorted(files):
        data = files[path]
        digest = _digest(data)
        new[path] = digest
        target = out / path
        if old.get(path) == digest and target.is_file():
            unchanged += 1
            continue
        parent = target.parent
        if parent not in made_dirs:
            parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(parent)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        written += 1
    removed = 0
    for path in sorted(set(old) - set(new)):
        if path.startswith(KEPT_PREFIXES):
            continue
        target = out / path
        if target.is_file():
            target.unlink()
            removed += 1
            _prune_empty(target.parent, out)
    manifest_path.write_text(json.dumps(new, sort_keys=True, indent=0) + "\n", encoding="utf-8")
    return written, unchanged, removed


def _prune_empty(folder: Path, out: Path) -> None:
    while folder != out and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def build_site(data: SiteData, out: Path, options: SiteOptions | None = None) -> BuildReport:
    """Plan, render and write the site into ``out``; report what was done."""
    options = options or SiteOptions()
    started = time.perf_counter()
    facts, pages = plan_site(data, options)
    planned = time.perf_counter()
    files, render_s = render_files(facts, pages)
    rendered = time.perf_counter()
    written, unchanged, removed = write_tree(Path(out), files)
    done = time.perf_counter()
    return BuildReport(
        pages=len(pages),
        indexable=sum(1 for p in pages if p.indexable),
        thin=sum(1 for p in pages if p.template == "pair.html.j2" and p.context.get("thin")),
        redirects=sum(1 for p in pages if p.redirect is not None),
        files=len(files),
        written=written,
        unchanged=unchanged,
        removed=removed,
        plan_s=planned - started,
        render_s=render_s if rendered > planned else 0.0,
        write_s=done - rendered,
    )
