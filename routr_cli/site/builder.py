"""``build_site(data, out, options)``: plan, render and write the static site.

Deterministic: pages, sitemaps and data files are sorted and carry no build time, so
the same data gives byte-identical trees. Incremental, in two steps, recorded in a
manifest (``.routr-site.json``): a page whose fingerprint (a hash of everything it is
made from, ``fingerprint``) is the previous build's, and whose file is untouched since,
is not even rendered; a rendered page is written only when its bytes changed. Files no
longer produced (a pair whose model left) are deleted, and the report says how many of
each. Adding a model thus renders its own pages, every task page (each lists every
model) and the pages whose figures moved, not the thousands of pair pages it leaves as
they were. ``downloads/`` is written by the caller (it comes from the store) and is
left alone here.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import NamedTuple, TypeVar

from routr_cli.site import plan, plan_extra, plan_pairs, seo
from routr_cli.site.formatting import day
from routr_cli.site.inputs import Download, SiteData, SiteOptions
from routr_cli.site.page import Page
from routr_cli.site.render import Renderer
from routr_cli.text import plural

MANIFEST = ".routr-site.json"
MANIFEST_FORMAT = 2  # {"format": 2, "files": {path: [digest, fingerprint, size]}}
STATIC_FILES = ("static/site.css", "static/favicon.svg", "grader/grader.js")
KEPT_PREFIXES = ("downloads/",)
SPAN = 500  # pages per unit of work handed to a render worker


@dataclass(frozen=True)
class BuildReport:
    pages: int
    rendered: int  # pages whose inputs changed (the others were kept without rendering)
    indexable: int
    thin: int
    redirects: int
    files: int
    written: int
    unchanged: int
    removed: int
    plan_s: float
    render_s: float  # fingerprints, then rendering and writing the pages, and any work alongside
    write_s: float  # sitemaps, static files, stale-file removal, the manifest
    alongside_s: float = 0.0  # the work run while the pages rendered (the data files)
    pages_s: float = 0.0  # of render_s, the pages' part: until the workers were done

    @property
    def pages_per_s(self) -> float:
        """The rendering rate: pages rendered and written per second of that work."""
        seconds = self.pages_s or self.render_s
        return self.rendered / seconds if seconds > 0 else float("inf")

    def summary(self) -> str:
        return (
            f"{self.pages} pages ({self.indexable} indexable, {self.thin} thin, "
            f"{self.redirects} redirects); rendered {self.rendered}, rewrote {self.written} of {plural(self.files, 'file')}, "
            f"{self.unchanged} unchanged, {self.removed} removed"
        )


@contextmanager
def collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a block that makes many objects and
    frees none in cycles (planning 17,000 pages, reading thousands of stored rows).

    Each full collection walks every live object, and a block that only allocates
    triggers them again and again as the heap grows: about a third of planning a large
    site went there. Reference counting still frees everything acyclic at once; the
    collector is restored (and runs as usual) when the block ends."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


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


def sized_pages(facts: plan.SiteFacts) -> list[Page]:
    """The pages that show the data files' sizes (the home page's downloads, the downloads
    page). When the files are written alongside rendering (``build_site(alongside=)``),
    these are planned again and rendered once they exist."""
    return [plan.home_page(facts), plan_extra.downloads_page(facts)]


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


class Entry(NamedTuple):
    """A file as the manifest records it: the content hash, the page's fingerprint (None
    for files always regenerated) and the size. No time: the manifest is part of the
    tree, which must be byte-identical for the same data."""

    digest: str
    fingerprint: str | None
    size: int


class Done(NamedTuple):
    """A file this build produced: its entry, and whether its bytes were written."""

    path: str
    entry: Entry
    written: bool
    rendered: bool = True


class TreeWriter:
    """Writes files whose content hash differs from the previous build's manifest."""

    def __init__(self, out: Path, old: dict[str, Entry], since_ns: int = 0) -> None:
        self.out = out
        self.old = old
        self.since_ns = since_ns  # when the previous manifest was written (its mtime)
        self._made: set[Path] = set()

    def put(self, path: str, data: bytes, fingerprint: str | None = None) -> Done:
        """Write ``data`` at ``path`` unless the file already holds exactly these bytes."""
        digest = _digest(data)
        target = self.out / path
        before = self.old.get(path)
        if before is not None and before.digest == digest:
            stat = _stat(target)
            if stat is not None and stat.st_size == len(data):
                return Done(path, Entry(digest, fingerprint, len(data)), False)
        parent = target.parent
        if parent not in self._made:
            parent.mkdir(parents=True, exist_ok=True)
            self._made.add(parent)
        target.write_bytes(data)
        return Done(path, Entry(digest, fingerprint, len(data)), True)

    def unchanged(self, path: str, fingerprint: str | None) -> Done | None:
        """The previous build's file, when its page's inputs are the same (``fingerprint``)
        and the file is still the one that build wrote: then it need not be rendered.

        "Still the one" as make and git judge it, without reading it: the recorded size,
        and not modified after that build's manifest was written (its last act)."""
        before = self.old.get(path)
        if fingerprint is None or before is None or before.fingerprint != fingerprint:
            return None
        stat = _stat(self.out / path)
        if stat is None or stat.st_size != before.size or stat.st_mtime_ns > self.since_ns:
            return None
        return Done(path, before, False, rendered=False)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def code_digest() -> str:
    """A hash of the site's templates, static files and code: a changed template or
    formatter changes every page's fingerprint, so no page keeps an old layout."""
    from routr_cli import __version__

    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    root = resources.files("routr_cli.site")
    stack = [root]
    found: list[tuple[str, bytes]] = []
    while stack:
        folder = stack.pop()
        for item in folder.iterdir():
            if item.is_dir():
                stack.append(item)
            elif item.name.endswith((".py", ".j2", ".css", ".js", ".svg")):
                found.append((str(item), item.read_bytes()))
    for name, blob in sorted(found):
        h.update(name.encode() + b"\0" + blob)
    return h.hexdigest()


def site_key(facts: plan.SiteFacts) -> str:
    """What every page depends on: the code, the options, whether the site is simulated,
    the categories and languages (navigation, keywords), which task ids have pages
    (evidence links) and the site-wide data files named in JSON-LD."""
    tasks = hashlib.blake2b("\n".join(sorted(facts.data.tasks)).encode(), digest_size=16)
    shared = [
        (d.path, d.title, d.media_type) for d in facts.downloads("leaderboard", "comparisons")
    ]
    return repr(
        (code_digest(), facts.options, facts.simulated, facts.categories, facts.languages,
         facts.primary_solver, tasks.hexdigest(), shared)
    )  # fmt: skip


def fingerprint(page: Page, key: str) -> str | None:
    """A hash of everything the page's bytes are made from (None: not tracked).

    Its own fields and context (sorted by name; the values are dataclasses, tuples and
    strings whose ``repr`` is deterministic), what it declares in ``inputs``, and the
    site-wide ``key``. A context value with a ``shown()`` method is taken as that: the
    value as the page can show it (a pair's q-value moves with every pair added to the
    family, but the page prints it rounded).
    """
    if page.inputs is None:
        return None
    context = [
        (name, shown() if (shown := getattr(value, "shown", None)) is not None else value)
        for name, value in sorted(page.context.items())
    ]
    text = repr(
        (key, page.path, page.template, page.title, page.description, page.trail,
         page.lastmod, page.group, page.robots, page.jsonld, page.redirect, page.og_type,
         context, page.inputs)
    )  # fmt: skip
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


# What a forked render worker needs; set just before the pool forks, so the pages are
# inherited rather than pickled.
_WORK: tuple[Renderer, list[Page], TreeWriter, str] | None = None
Alongside = Callable[[], Sequence[Download]]
T = TypeVar("T")


def _render_span(span: tuple[int, int]) -> list[Done]:
    """Each page of the span kept (same fingerprint, file untouched) or rendered."""
    assert _WORK is not None
    renderer, pages, writer, key = _WORK
    done = []
    for page in pages[span[0] : span[1]]:
        fp = fingerprint(page, key)
        kept = writer.unchanged(page.file, fp)
        done.append(kept if kept is not None else writer.put(page.file, renderer.render(page), fp))
    return done


# When the workers were done (their results in): the rendering rate is measured on the
# pages' work, not on the work run alongside.
_RENDERED: list[float] = []


def _note_done(_: object) -> None:
    _RENDERED.append(time.perf_counter())


def render_pages(
    renderer: Renderer,
    pages: list[Page],
    writer: TreeWriter,
    key: str,
    jobs: int,
    meanwhile: Callable[[], T],
) -> tuple[list[Done], T, float]:
    """Keep or render and write every page, in ``jobs`` forked processes when there are
    many (fingerprints are computed there too: hashing thousands of pages is work), and
    meanwhile run ``meanwhile`` here; return what was done, what ``meanwhile`` returned
    and the seconds the pages took.

    Rendering is pure CPU work in Jinja2 (the GIL rules out threads), and a worker
    writes what it renders, so no page's bytes cross a pipe: only what was done. The
    workers are forked before ``meanwhile`` starts, so no thread of it (DuckDB's) is
    ever copied into a worker.
    """
    global _WORK
    spans = [(i, min(i + SPAN, len(pages))) for i in range(0, len(pages), SPAN)]
    _WORK = (renderer, pages, writer, key)
    _RENDERED.clear()
    try:
        if jobs <= 1 or len(spans) <= 1:
            extra = meanwhile()
            started = time.perf_counter()
            rows = [row for span in spans for row in _render_span(span)]
            return rows, extra, time.perf_counter() - started
        import multiprocessing

        started = time.perf_counter()
        renderer.compile_all()
        # Objects made so far move out of the collector's sight: a collection in a worker
        # would otherwise touch every one of them, copying the parent's memory page by
        # page into each worker (copy-on-write). The workers collect as usual (rendering
        # leaves cycles behind), even when the build paused the collector here.
        gc.freeze()
        with multiprocessing.get_context("fork").Pool(jobs, initializer=gc.enable) as pool:
            pending = pool.map_async(_render_span, spans, chunksize=1, callback=_note_done)
            extra = meanwhile()
            rows = [row for done in pending.get() for row in done]
            gc.unfreeze()
            return rows, extra, _RENDERED[0] - started
    finally:
        _WORK = None


def _prune_empty(folder: Path, out: Path) -> None:
    while folder != out and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _read_manifest(path: Path) -> dict[str, Entry]:
    """The previous build's files; empty when there is none or it is not in this format
    (then every page is rendered and only the bytes decide what is written)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != MANIFEST_FORMAT:
            return {}
        return {str(p): Entry(*e) for p, e in data["files"].items()}
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        return {}


def _manifest_text(done: list[Done]) -> str:
    """One line per file (readable diffs), each by the C encoder (``indent`` is slow)."""
    lines = [f"{_quoted(d.path)}:{_entry_json(d.entry)}" for d in sorted(done)]
    return f'{{"format":{MANIFEST_FORMAT},"files":{{\n' + ",\n".join(lines) + "\n}}\n"


_quoted: Callable[[str], str] = json.encoder.encode_basestring_ascii  # what dumps uses, in C


def _entry_json(entry: Entry) -> str:
    """``json.dumps(list(entry))``, written out: 17,000 calls of ``dumps`` (each building
    an encoder) were a tenth of a second. Anything not of the usual types (an entry read
    from an odd manifest) goes through ``dumps`` itself."""
    digest, fp, size = entry
    if type(digest) is str and (fp is None or type(fp) is str) and type(size) is int:
        return f"[{_quoted(digest)}, {'null' if fp is None else _quoted(fp)}, {size}]"
    return json.dumps(list(entry))


def default_jobs() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def build_site(
    data: SiteData,
    out: Path,
    options: SiteOptions | None = None,
    *,
    jobs: int | None = None,
    alongside: Alongside | None = None,
) -> BuildReport:
    """Plan, render and write the site into ``out``; report what was done.

    ``alongside``: work to run in this process while forked workers render the pages
    (the CLI writes the data files there), returning the final downloads with their
    sizes; the pages that show sizes (``sized_pages``) are then planned from them and
    rendered last. Without it, ``data.downloads`` is final.

    The manifest is removed before anything is written and saved last: a build cut
    short leaves no manifest, so the next one rewrites every file instead of trusting
    hashes of files it may have half-written.
    """
    options = options or SiteOptions()
    out = Path(out)
    started = time.perf_counter()
    with collection_paused():
        facts, pages = plan_site(data, options)
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / MANIFEST
    old = _read_manifest(manifest_path)
    since = _stat(manifest_path)
    manifest_path.unlink(missing_ok=True)
    writer = TreeWriter(out, old, since.st_mtime_ns if since is not None else 0)
    key = site_key(facts)
    renderer = Renderer(facts)
    everything = pages
    if alongside is not None:
        later = {p.path for p in sized_pages(facts)}
        pages = [p for p in pages if p.path not in later]
    planned = time.perf_counter()
    timed = _Timed(alongside) if alongside is not None else None
    jobs = jobs or default_jobs()

    def in_parent() -> tuple[Sequence[Download] | None, dict[str, bytes]]:
        """While the workers render: sitemaps and the grader's data (the sized pages
        planned again keep their paths and dates), then the data files (``alongside``)."""
        extra = extra_files(facts, everything)
        return timed() if timed is not None else None, extra

    rows, (downloads, extra), pages_s = render_pages(renderer, pages, writer, key, jobs, in_parent)
    if downloads is not None:
        facts = plan.SiteFacts(dataclasses.replace(data, downloads=tuple(downloads)), options)
        final = sized_pages(facts)
        rows += [writer.put(page.file, renderer.render(page)) for page in final]
        pages = [*pages, *final]
    n_rendered = sum(1 for d in rows if d.rendered)
    rendered = time.perf_counter()
    for path, blob in sorted(extra.items()):
        rows.append(writer.put(path, blob))
    new = {d.path for d in rows}
    removed = 0
    for path in sorted(set(old) - new):
        target = out / path
        if not path.startswith(KEPT_PREFIXES) and target.is_file():
            target.unlink()
            removed += 1
            _prune_empty(target.parent, out)
    manifest_path.write_text(_manifest_text(rows), encoding="utf-8")
    done = time.perf_counter()
    n_written = sum(1 for d in rows if d.written)
    return BuildReport(
        pages=len(pages),
        rendered=n_rendered,
        indexable=sum(1 for p in pages if p.indexable),
        thin=sum(1 for p in pages if p.template == "pair.html.j2" and p.context.get("thin")),
        redirects=sum(1 for p in pages if p.redirect is not None),
        files=len(rows),
        written=n_written,
        unchanged=len(rows) - n_written,
        removed=removed,
        plan_s=planned - started,
        pages_s=pages_s,
        render_s=rendered - planned,
        write_s=done - rendered,
        alongside_s=timed.seconds if timed is not None else 0.0,
    )


class _Timed:
    """``alongside``, timing itself (it overlaps the rendering, so is not a step)."""

    def __init__(self, work: Alongside) -> None:
        self.work = work
        self.seconds = 0.0

    def __call__(self) -> Sequence[Download]:
        started = time.perf_counter()
        try:
            return self.work()
        finally:
            self.seconds = time.perf_counter() - started
