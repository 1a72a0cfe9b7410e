import random
from collections import Counter

from salesreport import Customer, Transaction, build_report, render_text

REGIONS = ["north", "south", "east", "west", "central"]


def small_dataset():
    customers = [
        Customer("C1", "Ada", "north"),
        Customer("C2", "Bob", "south"),
        Customer("C3", "Cy", "north"),
        Customer("C4", "Di", "east"),
        Customer("C5", "Ed", "south"),
    ]
    txns = [
        Transaction("t1", "C1", 500, 1),
        Transaction("t2", "C2", 700, 2),
        Transaction("t3", "C3", 200, 2),
        Transaction("t4", "C3", 500, 3),
        Transaction("t2", "C2", 700, 2),  # duplicate export row
        Transaction("t5", "C9", 999, 4),  # unknown customer
        Transaction("t6", "C1", 200, 5),
    ]
    return customers, txns


def big_dataset(customers=30_000, transactions=120_000, duplicates=3_000, seed=7):
    rng = random.Random(seed)
    custs = [Customer(f"C{i:06d}", f"Name {i}", REGIONS[i % len(REGIONS)]) for i in range(customers)]
    txns = [
        Transaction(f"T{i:07d}", f"C{rng.randrange(customers + 500):06d}", rng.randrange(100, 20_000), rng.randrange(1, 31))
        for i in range(transactions)
    ]
    txns += [txns[rng.randrange(transactions)] for _ in range(duplicates)]
    rng.shuffle(txns)
    return custs, txns


def expected(customers, txns, top):
    """Straightforward independent computation of the same figures."""
    ids = {c.id for c in customers}
    seen, unique = set(), []
    for t in txns:
        if t.id not in seen:
            seen.add(t.id)
            unique.append(t)
    known = [t for t in unique if t.customer_id in ids]
    revenue = Counter({c.id: 0 for c in customers})
    for t in known:
        revenue[t.customer_id] += t.amount_cents
    ordered = sorted(revenue.items(), key=lambda kv: (-kv[1], kv[0]))
    greater = {}
    for pos, (cid, amount) in enumerate(ordered):
        greater.setdefault(amount, pos)
    ranks = {cid: greater[amount] + 1 for cid, amount in revenue.items()}
    return known, dict(revenue), ranks, ordered[:top], len(txns) - len(unique)


def test_small_report_figures():
    customers, txns = small_dataset()
    report = build_report(customers, txns, top=3)
    assert report.revenue == {"C1": 700, "C2": 700, "C3": 700, "C4": 0, "C5": 0}
    assert report.regions == {"east": 0, "north": 1400, "south": 700}
    assert report.ranks == {"C1": 1, "C2": 1, "C3": 1, "C4": 4, "C5": 4}
    assert report.top == [("C1", 700), ("C2", 700), ("C3", 700)]
    assert report.transactions_used == 5
    assert report.duplicates_dropped == 1
    assert report.median_order_cents == 500.0


def test_small_report_text():
    customers, txns = small_dataset()
    text = render_text(build_report(customers, txns, top=2))
    assert "Transactions: 5 (1 duplicates dropped)" in text
    assert "Median order: 5.00" in text
    assert text.splitlines()[-2:] == [
        "  #1    C1                       7.00",
        "  #1    C2                       7.00",
    ]


def test_edge_cases():
    report = build_report([Customer("A", "a", "x")], [], top=5)
    assert report.revenue == {"A": 0} and report.ranks == {"A": 1} and report.top == [("A", 0)]
    assert report.median_order_cents == 0.0
    report = build_report([Customer("A", "a", "x"), Customer("B", "b", "y")], [Transaction("1", "B", 5, 1)], top=0)
    assert report.top == [] and report.ranks == {"A": 2, "B": 1}


def test_first_duplicate_wins():
    customers = [Customer("A", "a", "x"), Customer("B", "b", "x")]
    txns = [Transaction("1", "A", 10, 1), Transaction("1", "B", 99, 1)]
    report = build_report(customers, txns)
    assert report.revenue == {"A": 10, "B": 0}


def test_medium_report_matches_reference():
    customers, txns = big_dataset(customers=600, transactions=3_000, duplicates=100, seed=3)
    report = build_report(customers, txns, top=50)
    known, revenue, ranks, top, dropped = expected(customers, txns, 50)
    assert report.revenue == revenue
    assert report.ranks == ranks
    assert report.top == top
    assert report.duplicates_dropped == dropped
    assert report.transactions_used == len(known)


def test_month_scale_report_is_fast(time_budget):
    customers, txns = big_dataset()
    time_budget(15)
    report = build_report(customers, txns, top=5_000)
    time_budget(0)
    known, revenue, ranks, top, dropped = expected(customers, txns, 5_000)
    assert report.revenue == revenue
    assert report.ranks == ranks
    assert report.top == top
    assert report.transactions_used == len(known)
    assert report.duplicates_dropped == dropped
    assert sum(report.regions.values()) == sum(revenue.values())


def test_many_duplicates_are_fast(time_budget):
    customers = [Customer(f"C{i}", "n", REGIONS[i % 5]) for i in range(10)]
    txns = [Transaction(f"T{i % 150_000}", f"C{i % 10}", 100, 1) for i in range(300_000)]
    time_budget(15)
    report = build_report(customers, txns, top=3)
    time_budget(0)
    assert report.duplicates_dropped == 150_000
    assert report.transactions_used == 150_000
    assert sum(report.revenue.values()) == 150_000 * 100


def test_large_ranking_is_fast(time_budget):
    customers = [Customer(f"C{i:06d}", "n", "x") for i in range(60_000)]
    txns = [Transaction(f"T{i}", f"C{i:06d}", (i * 7919) % 5_000, 1) for i in range(60_000)]
    time_budget(15)
    report = build_report(customers, txns, top=10)
    time_budget(0)
    assert report.ranks["C000000"] == 1 + sum(1 for i in range(60_000) if (i * 7919) % 5_000 > 0)
    assert report.top[0][1] == 4_999
