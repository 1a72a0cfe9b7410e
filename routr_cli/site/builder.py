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
STATIC_FILES = ("static/site.css", "static/favicon.svg", "grader/grader.js")
KEPT_PREFIXES = ("downloads/",)
SPAN = 500  # pages per unit of work handed to a render worker


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
    render_s: float  # rendering and writing the pages (workers do both)
    write_s: float  # sitemaps, static files, stale-file removal, the manifest

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


def extra_files(facts: plan.SiteFacts, pages: list[Page]) -> dict[str, bytes]:
    """Everything but the pages: sitemaps, robots.txt, static files, the grader's data."""
    root = facts.options.root_url
    files = {
        path: text.encode() for path, text in seo.sitemap_files(sitemap_groups(pages), root).items()
    }
    files["robots.txt"] = seo.robots_txt(root).encode()
    for name in STATIC_FILES:
        files[name] = _static(name)
    grader = plan_extra.grader_data(facts)
    if grader is not None:
        files[plan_extra.GRADER_DATA] = (
            json.dumps(grader, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
        ).encode()
    return files


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class TreeWriter:
    """Writes files whose content hash differs from the previous build's manifest."""

    def __init__(self, out: Path, old: dict[str, str]) -> None:
        self.out = out
        self.old = old
        self._made: set[Path] = set()

    def put(self, path: str, data: bytes) -> tuple[str, bool]:
        """Write ``data`` at ``path`` unless it is unchanged; return (digest, written)."""
        digest = _digest(data)
        target = self.out / path
        if self.old.get(path) == digest and target.is_file():
            return digest, False
        parent = target.parent
        if parent not in self._made:
            parent.mkdir(parents=True, exist_ok=True)
            self._made.add(parent)
        target.write_bytes(data)
        return digest, True


# What a forked render worker needs; set just before the pool forks, so the pages are
# inherited rather than pickled.
_WORK: tuple[Renderer, list[Page], TreeWriter] | None = None


def _render_span(span: tuple[int, int]) -> list[tuple[str, str, bool]]:
    assert _WORK is not None
    renderer, pages, writer = _WORK
    done = []
    for page in pages[span[0] : span[1]]:
        digest, written = writer.put(page.file, renderer.render(page))
        done.append((page.file, digest, written))
    return done


def render_pages(
    renderer: Renderer, pages: list[Page], writer: TreeWriter, jobs: int
) -> list[tuple[str, str, bool]]:
    """Render and write every page, in ``jobs`` forked processes when there are many.

    Rendering is pure CPU work in Jinja2 (the GIL rules out threads), and a worker
    writes what it renders, so no page's bytes cross a pipe: only (path, hash, written).
    """
    global _WORK
    spans = [(i, min(i + SPAN, len(pages))) for i in range(0, len(pages), SPAN)]
    _WORK = (renderer, pages, writer)
    try:
        if jobs <= 1 or len(spans) <= 1:
            return [row for span in spans for row in _render_span(span)]
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return [row for rows in pool.imap(_render_span, spans) for row in rows]
    finally:
        _WORK = None


def _prune_empty(folder: Path, out: Path) -> None:
    while folder != out and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _read_manifest(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def default_jobs() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def build_site(
    data: SiteData, out: Path, options: SiteOptions | None = None, *, jobs: int | None = None
) -> BuildReport:
    """Plan, render and write the site into ``out``; report what was done.

    The manifest is removed before anything is written and saved last: a build cut
    short leaves no manifest, so the next one rewrites every file instead of trusting
    hashes of files it may have half-written.
    """
    options = options or SiteOptions()
    out = Path(out)
    started = time.perf_counter()
    facts, pages = plan_site(data, options)
    planned = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / MANIFEST
    old = _read_manifest(manifest_path)
    manifest_path.unlink(missing_ok=True)
    writer = TreeWriter(out, old)
    rows = render_pages(Renderer(facts), pages, writer, jobs or default_jobs())
    rendered = time.perf_counter()
    for path, blob in sorted(extra_files(facts, pages).items()):
        digest, written = writer.put(path, blob)
        rows.append((path, digest, written))
    new = {path: digest for path, digest, _ in rows}
    removed = 0
    for path in sorted(set(old) - set(new)):
        target = out / path
        if not path.startswith(KEPT_PREFIXES) and target.is_file():
            target.unlink()
            removed += 1
            _prune_empty(target.parent, out)
    manifest_path.write_text(json.dumps(new, sort_keys=True, indent=0) + "\n", encoding="utf-8")
    done = time.perf_counter()
    n_written = sum(1 for _, _, was_written in rows if was_written)
    return BuildReport(
        pages=len(pages),
        indexable=sum(1 for p in pages if p.indexable),
        thin=sum(1 for p in pages if p.template == "pair.html.j2" and p.context.get("thin")),
        redirects=sum(1 for p in pages if p.redirect is not None),
        files=len(rows),
        written=n_written,
        unchanged=len(rows) - n_written,
        removed=removed,
        plan_s=planned - started,
        render_s=rendered - planned,
        write_s=done - rendered,
    )
