"""The pure parts on their own: charts, JSON-LD escaping, markdown, sitemaps, pair views."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
import site_checks
import site_fixtures

from routr_cli.site import SiteOptions, build_site, charts, seo
from routr_cli.site.formatting import markdown_html, model_slugs, pct
from routr_cli.site.pairs import pair_view

HOSTILE = 'evil</script><script>alert(1)</script>&<b>"'


def test_interval_chart_is_an_accessible_svg_with_escaped_labels() -> None:
    svg = charts.interval_chart(
        [charts.IntervalRow(HOSTILE, 0.5, 0.4, 0.6), charts.IntervalRow("b", None, None, None)],
        title="Pass rates",
        desc="Dots and whiskers",
    )
    page = site_checks.parse_page("x", f"<!doctype html><html lang=en><body>{svg}</body></html>")
    assert page.errors == [] and page.svgs == 1 and page.svg_without_title == 0
    assert "<script>" not in svg and "evil&lt;/script&gt;" in svg
    assert 'role="img"' in svg and "<desc" in svg
    # The dot sits at 50% of the plot: label width 220 + 360 * 0.5.
    assert '<circle cx="400"' in svg


def test_pareto_chart_joins_the_frontier_and_scales_cost_logarithmically() -> None:
    svg = charts.pareto_chart(
        [
            charts.ParetoPoint("cheap", 0.01, 0.4, True),
            charts.ParetoPoint("dear", 1.0, 0.8, True),
            charts.ParetoPoint("bad", 0.5, 0.3, False),
        ],
        title="Pareto",
        desc="Frontier",
    )
    assert svg.count("<polyline") == 1
    assert "$0.01" in svg and "$1" in svg
    assert svg.count("<circle") == 3


def test_jsonld_cannot_break_out_of_its_script_block() -> None:
    data = {"name": HOSTILE}
    safe = str(seo.script_json(data))
    assert "</script>" not in safe and "<" not in safe
    assert json.loads(safe) == data
    # Control: the plain encoding would have closed the block.
    assert "</script>" in json.dumps(data)


def test_markdown_renders_hostile_html_as_text_and_drops_javascript_links() -> None:
    text = 'Hi <img src=x onerror="alert(1)"> [click](javascript:alert(1))\n\n# Title\n\n## Sub\n'
    html = str(markdown_html(text))
    assert "<img" not in html and "&lt;img" in html
    assert 'href="javascript' not in html
    assert "<h3>Title</h3>" in html and "<h4>Sub</h4>" in html
    # Links to files beside a document keep their text and lose the dead link.
    doc = str(markdown_html("See [the scan](static-scan.md) and [docs](https://x.org/a)."))
    assert "the scan" in doc and "static-scan.md" not in doc and 'href="https://x.org/a"' in doc
    # Control: with raw HTML allowed the image (and its handler) would pass through.
    from markdown_it import MarkdownIt

    assert "<img src=x onerror" in MarkdownIt("commonmark", {"html": True}).render(text)


def test_sitemaps_split_at_50000_urls() -> None:
    entries = [seo.SitemapEntry(f"tasks/t{i}/", "2026-11-30") for i in range(50_001)]
    files = seo.sitemap_files({"tasks": entries, "pages": []}, "https://x.org/")
    assert sorted(files) == [
        "sitemap.xml",
        "sitemaps/pages-1.xml",
        "sitemaps/tasks-1.xml",
        "sitemaps/tasks-2.xml",
    ]
    ns = site_checks.SITEMAP_NS
    counts = [
        len(ElementTree.fromstring(files[f"sitemaps/tasks-{n}.xml"]).findall(f"{ns}url"))
        for n in (1, 2)
    ]
    assert counts == [50_000, 1]
    index = ElementTree.fromstring(files["sitemap.xml"])
    assert len(index.findall(f"{ns}sitemap")) == 3


def test_a_comparison_read_the_other_way_round_swaps_every_side() -> None:
    data = site_fixtures.site_data()
    c = next(c for c in data.comparisons if c.category == "all")
    same, flipped = pair_view(c, c.a), pair_view(c, c.b)
    assert (same.a, same.b, flipped.a, flipped.b) == (c.a, c.b, c.b, c.a)
    assert flipped.pass_a == c.pass_b and flipped.ci_a_low == c.ci_b_low
    assert flipped.diff == -c.diff
    assert (flipped.diff_ci_low, flipped.diff_ci_high) == (-c.diff_ci_high, -c.diff_ci_low)
    assert (flipped.wins, flipped.losses, flipped.ties) == (c.losses, c.wins, c.ties)
    assert flipped.only_a == tuple(sorted(c.only_b)) and flipped.both == tuple(sorted(c.both))
    assert flipped.cost_ratio == pytest.approx(1 / c.cost_ratio)
    assert flipped.q_value == c.q_value and flipped.verdict == c.verdict
    with pytest.raises(ValueError):
        pair_view(c, "someone/else")


def test_model_slugs_are_distinct_even_when_names_slugify_alike() -> None:
    slugs = model_slugs(["a/b-c", "a-b/c", "openai/gpt-4.1", "Sim/Frontier"])
    assert slugs["openai/gpt-4.1"] == "openai-gpt-4.1"
    assert slugs["Sim/Frontier"] == "sim-frontier"
    assert slugs["a/b-c"] != slugs["a-b/c"] and slugs["a/b-c"].startswith("a-b-c-")


def test_a_missing_rate_is_a_dash_never_zero() -> None:
    assert pct(None) == "–" and pct(0.0) == "0%"


def test_hostile_model_and_task_names_are_escaped_on_every_page(tmp_path: Path) -> None:
    models = {**site_fixtures.MODELS, 'evil/<script>alert("x")</script>': (0.5, 0.01, 3.0)}
    data = site_fixtures.site_data(models=models)
    build_site(data, tmp_path, SiteOptions(base_url="https://example.org/"))
    pages = site_checks.parse_site(tmp_path)
    for path, page in pages.items():
        assert page.errors == [], path
    for html_file in tmp_path.rglob("*.html"):
        assert '<script>alert("x")' not in html_file.read_text(), html_file


def test_evidence_lists_link_tasks_with_pages_and_name_the_others_escaped() -> None:
    from routr_cli.site.fragments import TaskLinks

    links = TaskLinks(["go-bugfix-000", "py-feature-001"])
    known = links.items(("go-bugfix-000", "py-feature-001"), 2)
    assert known == (
        '<li><a href="../../tasks/go-bugfix-000/">go-bugfix-000</a></li>'
        '<li><a href="../../tasks/py-feature-001/">py-feature-001</a></li>'
    )
    # A task that left the suite has no page: named, escaped, not linked.
    mixed = links.items(("go-bugfix-000", "<gone>"), 1)
    assert (
        mixed == '<li><a href="../tasks/go-bugfix-000/">go-bugfix-000</a></li><li>&lt;gone&gt;</li>'
    )


def test_the_manifest_lines_are_what_json_dumps_writes() -> None:
    # The manifest is written without a dumps call per entry; its lines must still be
    # exactly json.dumps's (the tree must not change), odd entries included.
    from routr_cli.site.builder import Done, Entry, _manifest_text

    entries = [
        Entry("ab" * 16, None, 5),
        Entry("0f" * 16, 'c"d\u00e9\\', 0),
        Entry("x", "y", 3.5),  # an odd manifest's values go through dumps itself
        Entry("x", 1, True),
    ]
    done = [Done(f'p{i}/caf\u00e9 "{i}"/index.html', e, True) for i, e in enumerate(entries)]
    expected = [f"{json.dumps(d.path)}:{json.dumps(list(d.entry))}" for d in done]
    text = _manifest_text(done)
    assert text.splitlines()[1:-1] == [line + "," for line in expected[:-1]] + expected[-1:]
    assert json.loads(text)["files"] == {d.path: list(d.entry) for d in done}


def test_outcomes_from_rows_are_the_dataclass_built_normally() -> None:
    # Outcomes are built without the frozen dataclass's __init__ (it is slow at 100,000);
    # they must be the same objects as far as anyone can tell: equal, same repr and hash.
    from routr_cli.site.inputs import Outcome
    from routr_cli.site.outcomes import outcomes_from_rows

    rows = [
        ("t1", "m/a", "edit", 3, 1, 0, "2026-11-01 00:00:00", (("solved", 1), ("timeout", 2))),
        ("t1", "m/b", "edit", 2, 0, True, None, (("tests_failed", 2),)),
        ("t2", "m/a", "repair", 1, 1, False, "2026-11-02 00:00:00", (("solved", 1),)),
    ]
    found = outcomes_from_rows(rows)
    expected = Outcome("m/a", False, "edit", 3, 1, (("solved", 1), ("timeout", 2)),
                       "2026-11-01 00:00:00")  # fmt: skip
    assert list(found) == ["t1", "t2"] and len(found["t1"]) == 2
    first = found["t1"][0]
    assert first == expected and repr(first) == repr(expected) and hash(first) == hash(expected)
    assert found["t1"][1].simulated is True and found["t2"][0].solver == "repair"
    with pytest.raises(AttributeError):
        first.model = "x"  # type: ignore[misc]


def test_a_pair_fingerprint_tells_every_evidence_list_apart() -> None:
    # A pair page's fingerprint takes its task lists joined (fast); any change to a list,
    # a task moved between lists, or ids that join the same way must still change it.
    from dataclasses import replace

    data = site_fixtures.site_data()
    c = next(c for c in data.comparisons if c.category == "all")
    base = replace(c, only_a=("t1", "t2"), only_b=("t3",), both=(), neither=("t4",))

    def shown(**lists: tuple[str, ...]) -> object:
        return pair_view(replace(base, **lists), base.a).shown()

    variants = [
        shown(),
        shown(only_a=("t1",)),
        shown(only_a=("t1",), only_b=("t2", "t3")),  # t2 moved
        shown(only_a=("t1 t2",)),  # a space in an id: not the same as two ids
        shown(only_a=("t1", "t2", "")),
        shown(both=("",)),
    ]
    assert len({repr(v) for v in variants}) == len(variants)
    assert shown() == shown()
