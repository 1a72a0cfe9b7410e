import random

import pytest

from shortener import CodeTaken, InvalidLink, LinkRepository, ShortenerService, open_database


@pytest.fixture
def service():
    svc = ShortenerService(open_database(), rng=random.Random(42))
    svc.shorten("https://docs.example.com/guide", owner="ana", custom_code="guide", tags=["docs"])
    svc.shorten("https://example.com/pricing", owner="ana", custom_code="pricing", tags=["sales"])
    svc.shorten("https://intranet.example.com/payroll", owner="bob", custom_code="payroll", tags=["hr", "secret"])
    return svc


def all_codes(svc):
    return sorted(row[0] for row in svc.repo.conn.execute("SELECT code FROM links"))


def test_resolve_does_not_accept_sql(service):
    assert service.resolve("nope' OR '1'='1") is None
    assert service.resolve("x' UNION SELECT 1,2,3,4,5,6 --") is None
    assert service.repo.get("' OR 1=1 --") is None
    assert [link.clicks for link in service.links_for("ana")] == [0, 0]


def test_delete_cannot_touch_other_owners(service):
    assert service.remove("payroll", owner="ana' OR '1'='1") is False
    assert service.remove("guide' OR owner != '", owner="nobody") is False
    assert service.remove("payroll", owner="ana") is False
    assert all_codes(service) == ["guide", "payroll", "pricing"]
    assert service.remove("guide", owner="ana") is True
    assert all_codes(service) == ["payroll", "pricing"]


def test_search_stays_within_owner(service):
    leaked = service.search("ana", "%' OR owner = 'bob' OR url LIKE '")
    assert leaked == []
    assert service.search("ana' OR '1'='1", "example") == []
    assert [l.code for l in service.search("ana", "EXAMPLE")] == ["guide", "pricing"]
    assert [l.code for l in service.search("bob", "secret")] == ["payroll"]


def test_search_matches_wildcards_literally():
    svc = ShortenerService(open_database(), rng=random.Random(1))
    svc.shorten("https://shop.example.com/sale?off=50%25", owner="cy", custom_code="half", tags=["50%"])
    svc.shorten("https://shop.example.com/sale?off=5025", owner="cy", custom_code="other", tags=["5025"])
    svc.shorten("https://shop.example.com/new_arrivals", owner="cy", custom_code="new", tags=[])
    svc.shorten("https://shop.example.com/newXarrivals", owner="cy", custom_code="newx", tags=[])
    assert [l.code for l in svc.search("cy", "50%")] == ["half"]
    assert [l.code for l in svc.search("cy", "new_")] == ["new"]
    assert [l.code for l in svc.search("cy", "%")] == ["half"]
    assert [l.code for l in svc.search("cy", "back\\slash")] == []


def test_sort_column_is_validated(service):
    with pytest.raises(ValueError):
        service.links_for("ana", order_by="created_at; DROP TABLE links")
    with pytest.raises(ValueError):
        service.links_for("ana", order_by="(SELECT CASE WHEN 1 THEN code END)")
    with pytest.raises(ValueError):
        service.repo.by_owner("ana", order_by="owner = 'bob' DESC --")
    assert all_codes(service) == ["guide", "payroll", "pricing"]
    assert [l.code for l in service.links_for("ana", order_by="code", descending=False)] == ["guide", "pricing"]


def test_limit_must_be_an_integer(service):
    for bad in ("1 UNION SELECT * FROM links", "-1", -1, 2.5):
        with pytest.raises(ValueError):
            service.top(bad)
    with pytest.raises(ValueError):
        service.repo.most_clicked("10) --")


def test_quotes_and_unicode_in_legitimate_values():
    svc = ShortenerService(open_database(), rng=random.Random(3))
    link = svc.shorten("https://example.com/o'reilly?q=it's", owner="o'brien", tags=["rock 'n' roll", "çà"])
    assert svc.resolve(link.code) == "https://example.com/o'reilly?q=it's"
    [stored] = svc.links_for("o'brien")
    assert stored.tags == ("rock 'n' roll", "çà") and stored.clicks == 1
    assert [l.code for l in svc.search("o'brien", "'n'")] == [link.code]
    assert svc.remove(link.code, owner="o'brien") is True
    assert svc.links_for("o'brien") == []


def test_shorten_resolve_and_rankings(service):
    for _ in range(3):
        assert service.resolve("pricing") == "https://example.com/pricing"
    assert service.resolve("payroll") == "https://intranet.example.com/payroll"
    assert [(l.code, l.clicks) for l in service.top(2)] == [("pricing", 3), ("payroll", 1)]
    assert [l.code for l in service.links_for("ana", order_by="clicks")] == ["pricing", "guide"]
    generated = service.shorten("http://example.org/x", owner="dan")
    assert len(generated.code) == 7 and service.resolve(generated.code) == "http://example.org/x"
    assert service.top(0) == []


def test_validation_errors(service):
    with pytest.raises(InvalidLink):
        service.shorten("javascript:alert(1)", owner="ana")
    with pytest.raises(InvalidLink):
        service.shorten("https://example.com", owner="ana", custom_code="a b")
    with pytest.raises(CodeTaken):
        service.shorten("https://example.com", owner="ana", custom_code="guide")
    assert isinstance(service.repo, LinkRepository)
