"""A whole site built from fixture data: links, HTML, accessibility, SEO, determinism."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import site_checks
import site_fixtures

from routr_cli.site import Download, SiteOptions, build_site

BASE = "https://example.org/routr/"


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, site_checks.ParsedPage]]:
    out = tmp_path_factory.mktemp("site")
    data = site_fixtures.site_data()
    build_site(data, out, SiteOptions(base_url=BASE, min_shared_tasks=10))
    site_fixtures.touch_downloads(out, data)
    return out, site_checks.parse_site(out)


def test_every_internal_link_resolves_and_no_page_is_an_orphan(built) -> None:
    out, pages = built
    assert len(pages) > 50
    assert site_checks.check_links(out, pages, BASE) == []


def test_the_link_checker_catches_a_broken_link_and_an_orphan(tmp_path: Path) -> None:
    # Control: the checker is not vacuous.
    data = site_fixtures.site_data()
    build_site(data, tmp_path, SiteOptions(base_url=BASE))
    site_fixtures.touch_downloads(tmp_path, data)
    home = tmp_path / "index.html"
    home.write_text(home.read_text().replace('href="tasks/"', 'href="taskz/"'))
    (tmp_path / "lonely").mkdir()
    (tmp_path / "lonely" / "index.html").write_text("<!doctype html><html lang=en></html>")
    problems = site_checks.check_links(tmp_path, site_checks.parse_site(tmp_path), BASE)
    assert any("broken link 'taskz/'" in p for p in problems)
    assert "orphan page: lonely/index.html" in problems


def test_every_page_parses_with_landmarks_headings_and_scoped_headers(built) -> None:
    _, pages = built
    for path, page in pages.items():
        assert page.errors == [], path
        assert page.lang == "en", path
        assert "main" in page.landmarks, path
        if "refresh" not in page.meta:  # a reverse-order pair page only points onwards
            assert {"header", "footer", "nav"} <= page.landmarks, path
        assert page.headings and page.headings[0] == 1 and page.headings.count(1) == 1, path
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            assert after <= before + 1, f"{path}: heading h{before} then h{after}"
        assert page.th_without_scope == 0, path
        assert page.svg_without_title == 0, path
        assert len(page.ids) == len(set(page.ids)), f"{path}: duplicate ids"


def test_titles_are_unique_and_pages_carry_description_canonical_and_social_tags(built) -> None:
    _, pages = built
    indexed = {p: page for p, page in pages.items() if "refresh" not in page.meta}
    titles = [page.title for page in indexed.values()]
    assert len(titles) == len(set(titles))
    for path, page in pages.items():
        assert page.meta["description"], path
        if "refresh" not in page.meta:
            assert page.meta["og:title"] == page.title, path
            assert page.meta["twitter:card"] == "summary", path
        assert page.canonical and page.canonical.startswith(BASE), path
        if path != "404.html" and "refresh" not in page.meta:
            own = BASE + path.removesuffix("index.html")
            assert page.canonical == own, path
    home = pages["index.html"]
    # The headline numbers are in the title and description, with the interval and n.
    assert re.search(r"4 models ranked on 36 coding tasks", home.title)
    assert re.search(r"\d+% solved \(95% CI \d+–\d+%, n=36 tasks\)", home.meta["description"])
    assert "Data as of 2026-11-30" in home.meta["description"]


def test_jsonld_breadcrumbs_everywhere_website_on_home_datasets_on_boards_and_pairs(built) -> None:
    _, pages = built
    pair = "compare/deepseek-deepseek-chat-vs-openai-gpt-4.1/index.html"
    for path, page in pages.items():
        types = [block["@type"] for block in page.jsonld]
        assert "BreadcrumbList" in types, path
        crumbs = next(b for b in page.jsonld if b["@type"] == "BreadcrumbList")
        items = crumbs["itemListElement"]
        assert [i["position"] for i in items] == list(range(1, len(items) + 1))
        assert all(i["item"].startswith(BASE) and i["name"] for i in items)
        text = str(page.jsonld)
        assert "Rating" not in text and "Review" not in text, path
        if path in ("index.html", "category/bugfix/index.html", pair):
            dataset = next(b for b in page.jsonld if b["@type"] == "Dataset")
            assert dataset["name"] and len(dataset["description"]) >= 50
            assert dataset["dateModified"] == "2026-11-30"
        if path.startswith("compare/") and path.count("/") > 1 and "refresh" not in page.meta:
            # The shared files plus both models' own attempts, on every pair page alike.
            dataset = next(b for b in page.jsonld if b["@type"] == "Dataset")
            urls = [d["contentUrl"] for d in dataset["distribution"]]
            assert len(urls) == 6 and len(set(urls)) == 6, path
    assert "WebSite" in [b["@type"] for b in pages["index.html"].jsonld]


def test_sitemaps_list_indexable_pages_with_the_newest_attempt_as_lastmod(built) -> None:
    out, pages = built
    files = site_checks.sitemap_urls(out)
    assert set(files) == {
        f"sitemaps/{g}-1.xml"
        for g in ("pages", "categories", "languages", "models", "compare", "tasks")
    }
    listed = {loc for urls in files.values() for loc, _ in urls}
    assert all(lastmod == "2026-11-30" for urls in files.values() for _, lastmod in urls)
    for path, page in pages.items():
        url = BASE + path.removesuffix("index.html")
        indexable = page.meta["robots"] == "index,follow" and "refresh" not in page.meta
        assert (url in listed) == (indexable and path != "404.html"), path
    assert BASE + "tasks/go-bugfix-000/" in listed
    robots = (out / "robots.txt").read_text()
    assert f"Sitemap: {BASE}sitemap.xml" in robots


def test_thin_pairs_are_noindex_follow_and_reverse_pairs_point_to_the_canonical(built) -> None:
    _, pages = built
    pair_pages = {
        p: page for p, page in pages.items() if p.startswith("compare/") and p.count("/") >= 2
    }
    thin = [p for p, page in pair_pages.items() if page.meta["robots"] == "noindex,follow"]
    indexed = [p for p, page in pair_pages.items() if page.meta["robots"] == "index,follow"]
    assert thin and indexed
    reverse = pages["compare/openai-gpt-4.1-vs-deepseek-deepseek-chat/index.html"]
    canonical = BASE + "compare/deepseek-deepseek-chat-vs-openai-gpt-4.1/"
    assert reverse.canonical == canonical
    assert (
        reverse.meta["refresh"] == "0; url=../../compare/deepseek-deepseek-chat-vs-openai-gpt-4.1/"
    )
    assert reverse.meta["robots"] == "noindex,follow"


def test_pairs_with_too_few_shared_tasks_are_all_thin(tmp_path: Path) -> None:
    build_site(site_fixtures.site_data(), tmp_path, SiteOptions(base_url=BASE, min_shared_tasks=37))
    pages = site_checks.parse_site(tmp_path)
    pairs = [page for p, page in pages.items() if p.startswith("compare/") and p.count("/") >= 2]
    assert all(page.meta["robots"] == "noindex,follow" for page in pairs)
    assert (
        "only 36 shared tasks (fewer than 37)"
        in pages["compare/deepseek-deepseek-chat-vs-openai-gpt-4.1/index.html"].text
    )
    urls = site_checks.sitemap_urls(tmp_path)["sitemaps/compare-1.xml"]
    assert urls == []


def test_a_pair_page_shows_the_comparison_in_canonical_order_with_linked_evidence(built) -> None:
    out, pages = built
    page = pages["compare/deepseek-deepseek-chat-vs-openai-gpt-4.1/index.html"]
    # The fixture stores (openai, deepseek); the page reads it as deepseek (A) vs openai (B).
    data = site_fixtures.site_data()
    stored = next(
        c
        for c in data.comparisons
        if c.category == "all" and {c.a, c.b} == {"openai/gpt-4.1", "deepseek/deepseek-chat"}
    )
    assert stored.a == "openai/gpt-4.1"
    assert page.title.startswith("deepseek/deepseek-chat vs openai/gpt-4.1 for coding tasks")
    assert (
        f"Wins / ties / losses for A {stored.losses} / {stored.ties} / {stored.wins}" in page.text
    )
    assert f"Only deepseek/deepseek-chat solved ({len(stored.only_b)})" in page.text
    html = (out / "compare/deepseek-deepseek-chat-vs-openai-gpt-4.1/index.html").read_text()
    for task_id in stored.only_b:
        assert f'href="../../tasks/{task_id}/"' in html
    assert stored.verdict in page.text


def test_a_simulated_site_says_so_on_every_page_and_is_never_indexed(tmp_path: Path) -> None:
    build_site(site_fixtures.site_data(simulated=True), tmp_path, SiteOptions(base_url=BASE))
    pages = site_checks.parse_site(tmp_path)
    for path, page in pages.items():
        assert "Simulated data." in page.text, path
        assert page.meta["robots"].startswith("noindex"), path
    assert all(urls == [] for urls in site_checks.sitemap_urls(tmp_path).values())


def test_two_builds_of_the_same_data_are_byte_identical(tmp_path: Path) -> None:
    for name in ("a", "b"):
        build_site(site_fixtures.site_data(), tmp_path / name, SiteOptions(base_url=BASE))
    first, second = (site_checks.tree_bytes(tmp_path / n) for n in ("a", "b"))
    assert first.keys() == second.keys()
    assert [p for p in first if first[p] != second[p]] == []


def test_a_rebuild_rewrites_only_changed_pages_and_removes_stale_ones(tmp_path: Path) -> None:
    options = SiteOptions(base_url=BASE)
    first = build_site(site_fixtures.site_data(), tmp_path, options)
    assert first.written == first.files
    again = build_site(site_fixtures.site_data(), tmp_path, options)
    assert (again.written, again.removed, again.unchanged) == (0, 0, again.files)
    # One task's prompt changes: its page alone is rewritten.
    data = site_fixtures.site_data()
    tasks = dict(data.tasks)
    tasks["go-bugfix-000"] = dataclasses.replace(tasks["go-bugfix-000"], prompt="New text.\n")
    changed = build_site(dataclasses.replace(data, tasks=tasks), tmp_path, options)
    assert changed.written == 1 and "rewrote 1 of" in changed.summary()
    # ...and it alone of the tracked pages was rendered (the site-wide ones always are).
    assert changed.rendered == again.rendered + 1
    # A model leaves: its pages and pairs disappear.
    models = dict(site_fixtures.MODELS)
    del models["groq/llama-3.3-70b"]
    fewer_data = site_fixtures.site_data(models=models)
    fewer = build_site(fewer_data, tmp_path, options)
    site_fixtures.touch_downloads(tmp_path, fewer_data)
    assert fewer.removed > 0
    assert not (tmp_path / "models/groq-llama-3.3-70b").exists()
    assert not (tmp_path / "compare/deepseek-deepseek-chat-vs-groq-llama-3.3-70b").exists()
    assert site_checks.check_links(tmp_path, site_checks.parse_site(tmp_path), BASE) == []


def test_task_pages_show_the_prompt_and_every_outcome(built) -> None:
    _, pages = built
    page = pages["tasks/go-bugfix-000/index.html"]
    assert "The bugfix handler fails when the input is empty." in page.text
    for model in site_fixtures.MODELS:
        assert model in page.text


def test_the_grader_page_lists_the_category_pages_without_javascript(built) -> None:
    _, pages = built
    page = pages["grader/index.html"]
    for category in site_fixtures.CATEGORIES:
        assert f"category/{category}/" in " ".join(page.links)


def test_rendering_in_two_forked_workers_gives_the_same_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from routr_cli.site import builder

    monkeypatch.setattr(builder, "SPAN", 7)  # many small spans: the pool is really used
    data = site_fixtures.site_data()
    one = build_site(data, tmp_path / "one", SiteOptions(base_url=BASE), jobs=1)
    two = build_site(data, tmp_path / "two", SiteOptions(base_url=BASE), jobs=2)
    assert one.summary() == two.summary()
    assert site_checks.tree_bytes(tmp_path / "one") == site_checks.tree_bytes(tmp_path / "two")


def _tracked(out: Path) -> set[str]:
    """Pages a rebuild may keep without rendering: pairs, tasks and models."""
    return {
        p for p in site_checks.tree_bytes(out)
        if p.endswith(".html") and p.count("/") >= 2 and p.startswith(("compare/", "tasks/", "models/"))
    }  # fmt: skip


def test_a_rebuild_after_adding_a_model_renders_only_what_changed_and_equals_a_fresh_build(
    tmp_path: Path,
) -> None:
    options = SiteOptions(base_url=BASE)
    fewer = dict(site_fixtures.MODELS)
    del fewer["groq/llama-3.3-70b"]
    first = build_site(site_fixtures.site_data(models=fewer), tmp_path / "site", options)
    assert first.rendered == first.pages
    again = build_site(site_fixtures.site_data(models=fewer), tmp_path / "site", options)
    assert again.rendered == again.pages - len(_tracked(tmp_path / "site"))
    kept = _tracked(tmp_path / "site")
    more = build_site(site_fixtures.site_data(), tmp_path / "site", options)
    fresh = build_site(site_fixtures.site_data(), tmp_path / "fresh", options)
    # The incremental tree is the fresh one, byte for byte: nothing kept went stale.
    assert site_checks.tree_bytes(tmp_path / "site") == site_checks.tree_bytes(tmp_path / "fresh")
    assert fresh.rendered == fresh.pages
    # The pairs of the models already there were kept; every task page lists the new
    # model, so each was rendered; the new model's pairs and page are new.
    skipped = more.pages - more.rendered
    pairs_kept = {p for p in kept if p.startswith("compare/")}
    assert skipped == len(pairs_kept) > 0
    assert more.written < more.files


def test_a_kept_page_edited_or_deleted_since_the_build_is_rendered_again(tmp_path: Path) -> None:
    options = SiteOptions(base_url=BASE)
    data = site_fixtures.site_data()
    build_site(data, tmp_path, options)
    page = tmp_path / "models/openai-gpt-4.1/index.html"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"</main>", b"<p>edited</p></main>"))
    (tmp_path / "tasks/go-bugfix-000/index.html").unlink()
    again = build_site(data, tmp_path, options)
    assert again.written == 2
    assert page.read_bytes() == original
    assert (tmp_path / "tasks/go-bugfix-000/index.html").is_file()
    # Control: untouched, nothing tracked is rendered or written.
    third = build_site(data, tmp_path, options)
    assert third.written == 0 and third.rendered == third.pages - len(_tracked(tmp_path))


@pytest.mark.parametrize("jobs", [1, 2])
def test_data_files_written_alongside_rendering_give_their_sizes_to_the_pages_that_show_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    from routr_cli.site import builder

    monkeypatch.setattr(builder, "SPAN", 7)  # many spans: the forked pool is really used
    data = site_fixtures.site_data()
    planned = dataclasses.replace(
        data, downloads=tuple(dataclasses.replace(d, size_bytes=0) for d in data.downloads)
    )
    calls = []

    def write_files() -> list[Download]:
        calls.append(1)
        return list(data.downloads)  # the sizes the files turned out to have

    report = build_site(
        planned, tmp_path / "along", SiteOptions(base_url=BASE), jobs=jobs, alongside=write_files
    )
    assert calls == [1] and report.alongside_s >= 0
    # The same tree as a build given the final sizes up front: the home page and the
    # downloads page show them; no other page depended on them.
    build_site(data, tmp_path / "final", SiteOptions(base_url=BASE), jobs=1)
    assert site_checks.tree_bytes(tmp_path / "along") == site_checks.tree_bytes(tmp_path / "final")
    home = (tmp_path / "along/index.html").read_text()
    assert f"({round(data.downloads[0].size_bytes / 1024, 1)} KiB)" in home
