import csv
from datetime import date
from decimal import Decimal


from etl.cli import main
from etl.pipeline import run

US_HEADER = "order_id,created_at,updated_at,currency,amount,status,channel\n"
EU_HEADER = "order_id;created_at;updated_at;currency;amount;status\n"


def write(tmp_path, name, text, bom=False):
    path = tmp_path / name
    data = text.encode("utf-8")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def totals(report):
    return {(t.day, t.currency): (t.revenue, t.orders) for t in report.totals}


def test_us_export_still_works(tmp_path):
    src = write(tmp_path, "us.csv", US_HEADER
        + "A1,2024-03-05T10:00:00Z,2024-03-05T10:00:00Z,USD,\"1,234.50\",paid,web\n"
        + "A2,2024-03-05T23:30:00-02:00,2024-03-06T01:00:00Z,USD,10.00,shipped,app\n"
        + "A3,2024-03-05T12:00:00Z,2024-03-05T12:00:00Z,USD,99.00,cancelled,web\n")
    report = run([src])
    assert report.rows_read == 3 and report.orders_used == 3 and report.rejected == []
    assert totals(report) == {
        (date(2024, 3, 5), "USD"): (Decimal("1234.50"), 1),
        (date(2024, 3, 6), "USD"): (Decimal("10.00"), 1),
    }


def test_bad_rows_are_reported_and_skipped(tmp_path):
    src = write(tmp_path, "us.csv", US_HEADER
        + "A1,2024-03-05T10:00:00Z,2024-03-05T10:00:00Z,USD,12.00,paid,web\n"
        + "A2,yesterday,2024-03-05T10:00:00Z,USD,1.00,paid,web\n"
        + "A3,2024-03-05T10:00:00Z,2024-03-05T10:00:00Z,XXX,1.00,paid,web\n")
    report = run([src])
    assert [(r.line, "timestamp" in r.reason or "currency" in r.reason) for r in report.rejected] == [(3, True), (4, True)]
    assert totals(report) == {(date(2024, 3, 5), "USD"): (Decimal("12.00"), 1)}


def test_semicolon_export_with_bom_and_decimal_commas(tmp_path):
    src = write(tmp_path, "eu.csv", EU_HEADER
        + "E1;2024-03-05T09:00:00Z;2024-03-05T09:00:00Z;EUR;1.234,56;paid\n"
        + "E2;2024-03-05T11:00:00Z;2024-03-05T11:00:00Z;EUR;12,5;shipped\n"
        + "E3;2024-03-05T12:00:00Z;2024-03-05T12:00:00Z;EUR;-3,00;paid\n", bom=True)
    report = run([src])
    assert report.rejected == []
    assert totals(report) == {(date(2024, 3, 5), "EUR"): (Decimal("1244.06"), 3)}


def test_bom_on_comma_export(tmp_path):
    src = write(tmp_path, "us.csv", US_HEADER
        + "A1,2024-03-05T10:00:00Z,2024-03-05T10:00:00Z,GBP,5.25,paid,web\n", bom=True)
    report = run([src])
    assert report.rejected == []
    assert totals(report) == {(date(2024, 3, 5), "GBP"): (Decimal("5.25"), 1)}


def test_eu_day_first_timestamps(tmp_path):
    src = write(tmp_path, "eu.csv", EU_HEADER
        + "E1;05.03.2024 23:59;05.03.2024 23:59;EUR;10,00;paid\n"
        + "E2;06.03.2024 00:00:01;06.03.2024 08:15:00;EUR;20,00;paid\n"
        + "E3;12.01.2024 08:00;12.01.2024 08:00;CHF;7,00;paid\n")
    report = run([src])
    assert report.rejected == []
    assert totals(report) == {
        (date(2024, 1, 12), "CHF"): (Decimal("7.00"), 1),
        (date(2024, 3, 5), "EUR"): (Decimal("10.00"), 1),
        (date(2024, 3, 6), "EUR"): (Decimal("20.00"), 1),
    }


def test_reexported_orders_count_once_latest_wins(tmp_path):
    first = write(tmp_path, "day1.csv", EU_HEADER
        + "E1;05.03.2024 10:00;05.03.2024 10:00;EUR;100,00;paid\n"
        + "E2;05.03.2024 11:00;05.03.2024 11:00;EUR;50,00;pending\n"
        + "E3;05.03.2024 12:00;05.03.2024 18:00;EUR;30,00;paid\n")
    second = write(tmp_path, "day2.csv", EU_HEADER
        + "E1;05.03.2024 10:00;06.03.2024 09:00;EUR;100,00;refunded\n"
        + "E2;05.03.2024 11:00;06.03.2024 09:30;EUR;50,00;paid\n"
        + "E3;05.03.2024 12:00;05.03.2024 17:00;EUR;30,00;cancelled\n")
    report = run([first, second])
    assert report.rows_read == 6
    assert report.orders_used == 3
    # E1 refunded later -> out; E2 paid later -> in; E3's second copy is older -> stays paid
    assert totals(report) == {(date(2024, 3, 5), "EUR"): (Decimal("80.00"), 2)}


def test_duplicate_tie_prefers_later_file(tmp_path):
    a = write(tmp_path, "a.csv", US_HEADER + "A1,2024-03-05T10:00:00Z,2024-03-05T10:00:00Z,USD,1.00,paid,web\n")
    b = write(tmp_path, "b.csv", US_HEADER + "A1,2024-03-05T10:00:00Z,2024-03-05T10:00:00Z,USD,2.00,paid,web\n")
    assert totals(run([a, b])) == {(date(2024, 3, 5), "USD"): (Decimal("2.00"), 1)}
    assert totals(run([b, a])) == {(date(2024, 3, 5), "USD"): (Decimal("1.00"), 1)}


def test_mixed_exports_through_cli(tmp_path, capsys):
    us = write(tmp_path, "us.csv", US_HEADER
        + "A1,2024-03-05T10:00:00Z,2024-03-05T10:00:00Z,USD,\"2,000.00\",paid,web\n")
    eu = write(tmp_path, "eu.csv", EU_HEADER
        + "E1;05.03.2024 10:00;05.03.2024 10:00;EUR;2.000,00;paid\n"
        + "E1;05.03.2024 10:00;05.03.2024 11:00;EUR;2.500,00;paid\n", bom=True)
    out = tmp_path / "out" / "daily.csv"
    assert main([str(us), str(eu), "-o", str(out)]) == 0
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["day", "currency", "revenue", "orders"],
        ["2024-03-05", "EUR", "2500.00", "1"],
        ["2024-03-05", "USD", "2000.00", "1"],
    ]
    assert "rejected 0" in capsys.readouterr().out


def test_missing_column_is_fatal(tmp_path):
    src = write(tmp_path, "bad.csv", "order_id;created_at;currency;amount;status\nE1;x;EUR;1;paid\n")
    assert main([str(src), "-o", str(tmp_path / "o.csv")]) == 2
