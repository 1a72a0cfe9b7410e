import functools
import random
import signal

import pytest

from spatial import BBox, DriverLocator, GridIndex, Point

BUDGET_S = 6  # the reference needs about a second for the largest test here


class BudgetExceeded(Exception):
    pass


def within_budget(test):
    """Fail the test (cleanly, without a traceback) if it runs longer than BUDGET_S."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        def on_alarm(signum, frame):
            raise BudgetExceeded

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, BUDGET_S)
        timed_out = False
        try:
            test(*args, **kwargs)
        except BudgetExceeded:
            timed_out = True
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        if timed_out:
            pytest.fail(f"exceeded the {BUDGET_S}s time budget: the algorithm is too slow", pytrace=False)

    return wrapper


@pytest.fixture(scope="module")
def city():
    """80,000 drivers over a 20 km x 20 km city, 100 m cells (40,000 cells)."""
    rng = random.Random(2024)
    index = GridIndex(cell_size=100.0)
    for i in range(80_000):
        place(index, f"d{i:06d}", Point(rng.uniform(0, 20_000), rng.uniform(0, 20_000)))
    return index


# The tests keep their own record of which items each index holds, so that they
# depend only on GridIndex's public API and not on how it stores items.
_ITEMS = []  # (index, set of items) pairs, matched by identity


def items_of(index):
    for known, items in _ITEMS:
        if known is index:
            return items
    items = set()
    _ITEMS.append((index, items))
    return items


def place(index, item, point):
    index.insert(item, point)
    items_of(index).add(item)


def unplace(index, item):
    index.remove(item)
    items_of(index).discard(item)


def brute_radius(index, center, radius):
    found = [(item, center.distance_to(index.position(item))) for item in items_of(index)]
    return sorted(((i, d) for i, d in found if d <= radius), key=lambda p: (p[1], repr(p[0])))


@within_budget
def test_many_radius_queries_on_a_big_city(city):
    rng = random.Random(1)
    total = 0
    for _ in range(3000):
        center = Point(rng.uniform(0, 20_000), rng.uniform(0, 20_000))
        result = city.query_radius(center, 300.0)
        assert all(d <= 300.0 for _, d in result)
        total += len(result)
    assert 130_000 < total < 210_000  # ~57 drivers per 300 m circle on average


@within_budget
def test_radius_results_are_exact(city):
    rng = random.Random(2)
    for _ in range(3):
        center = Point(rng.uniform(0, 20_000), rng.uniform(0, 20_000))
        assert city.query_radius(center, 450.0) == brute_radius(city, center, 450.0)
    for _ in range(1500):
        city.query_radius(Point(rng.uniform(0, 20_000), rng.uniform(0, 20_000)), 200.0)


@within_budget
def test_many_nearest_queries(city):
    rng = random.Random(3)
    for _ in range(1500):
        center = Point(rng.uniform(0, 20_000), rng.uniform(0, 20_000))
        best = city.nearest(center, k=5)
        assert len(best) == 5
        assert [d for _, d in best] == sorted(d for _, d in best)
    center = Point(10_000, 10_000)
    assert city.nearest(center, k=3) == brute_radius(city, center, 400.0)[:3]


@within_budget
def test_many_bbox_queries(city):
    rng = random.Random(4)
    for _ in range(3000):
        x, y = rng.uniform(0, 19_500), rng.uniform(0, 19_500)
        box = BBox(x, y, x + 400, y + 250)
        for item in city.query_bbox(box):
            assert box.contains(city.position(item))


@within_budget
def test_locator_dispatch_loop():
    rng = random.Random(5)
    locator = DriverLocator(cell_size=50.0)
    for i in range(60_000):
        locator.update(f"drv-{i}", Point(rng.uniform(0, 15_000), rng.uniform(0, 15_000)))
    for step in range(2500):
        driver = f"drv-{rng.randrange(60_000)}"
        locator.update(driver, Point(rng.uniform(0, 15_000), rng.uniform(0, 15_000)))
        pickup = Point(rng.uniform(0, 15_000), rng.uniform(0, 15_000))
        locator.within(f"p{step}", pickup, 250.0)
    assert locator.online_count() == 60_000


@within_budget
def test_city_wide_queries_on_a_sparse_grid():
    index = GridIndex(cell_size=10.0)
    rng = random.Random(6)
    for i in range(300):
        index.insert(i, Point(rng.uniform(-40_000, 40_000), rng.uniform(-40_000, 40_000)))
    for _ in range(200):
        assert len(index.query_radius(Point(0, 0), 200_000.0)) == 300
        assert len(index.query_bbox(BBox(-1e6, -1e6, 1e6, 1e6))) == 300


def test_small_index_matches_brute_force():
    rng = random.Random(7)
    index = GridIndex(cell_size=7.0)
    for i in range(400):
        place(index, i, Point(float(rng.randint(-50, 50)), float(rng.randint(-50, 50))))
    for i in range(0, 400, 3):
        place(index, i, Point(float(rng.randint(-50, 50)), float(rng.randint(-50, 50))))  # move
    for i in range(0, 400, 10):
        unplace(index, i)
    assert len(index) == 360
    for _ in range(60):
        center = Point(float(rng.randint(-60, 60)), float(rng.randint(-60, 60)))
        radius = float(rng.choice([0, 3, 7, 14, 21, 35]))
        assert index.query_radius(center, radius) == brute_radius(index, center, radius)
        k = rng.randint(1, 12)
        assert [d for _, d in index.nearest(center, k)] == [d for _, d in brute_radius(index, center, 500.0)[:k]]
        box = BBox(center.x - radius, center.y - 2, center.x + 7, center.y + radius)
        expected = sorted((i for i in items_of(index) if box.contains(index.position(i))), key=repr)
        assert index.query_bbox(box) == expected


def test_boundaries_and_errors():
    index = GridIndex(cell_size=10.0)
    index.insert("edge", Point(20.0, 0.0))
    index.insert("corner", Point(-10.0, -10.0))
    assert index.query_radius(Point(10.0, 0.0), 10.0) == [("edge", 10.0)]
    assert sorted(index.query_bbox(BBox(-10.0, -10.0, 20.0, 0.0))) == ["corner", "edge"]
    with pytest.raises(ValueError):
        index.query_radius(Point(0, 0), -1)
    with pytest.raises(ValueError):
        GridIndex(cell_size=0)
    locator = DriverLocator()
    locator.update("a", Point(0, 0))
    locator.go_offline("a")
    locator.go_offline("a")
    assert locator.closest(Point(0, 0)) == []
