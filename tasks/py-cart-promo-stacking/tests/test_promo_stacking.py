import pytest

from shop import Cart, Catalog, Product, UnknownProduct, price_cart, render_receipt
from shop.promotions import BuyXGetY, CategoryPercent, OrderAmountOff

CATALOG = Catalog([
    Product("SOCK-1", "Wool socks", 500, "apparel"),
    Product("HAT-2", "Beanie", 1800, "apparel"),
    Product("MUG-3", "Mug", 1200, "kitchen"),
    Product("PAN-4", "Frying pan", 4000, "kitchen"),
])


def cart_of(*items):
    cart = Cart()
    for sku, qty in items:
        cart.add(sku, qty)
    return cart


def test_single_promotions_unchanged():
    receipt = price_cart(cart_of(("SOCK-1", 4)), CATALOG, [BuyXGetY("SOCK-1", buy=3, free=1)])
    assert receipt.subtotal_cents == 2000 and receipt.total_cents == 1500
    receipt = price_cart(cart_of(("MUG-3", 3)), CATALOG, [CategoryPercent("kitchen", 15)])
    assert receipt.total_cents == 3600 - 540
    receipt = price_cart(cart_of(("PAN-4", 2)), CATALOG, [OrderAmountOff(1000, threshold_cents=5000, code="SAVE10")], coupon="save10")
    assert receipt.total_cents == 7000
    receipt = price_cart(cart_of(("PAN-4", 2)), CATALOG, [OrderAmountOff(1000, threshold_cents=5000, code="SAVE10")])
    assert receipt.total_cents == 8000


def test_unknown_sku_and_cart_basics():
    cart = cart_of(("MUG-3", 2))
    cart.remove("MUG-3", 1)
    assert cart.quantity_of("mug-3") == 1
    cart.add("NOPE-9")
    with pytest.raises(UnknownProduct):
        price_cart(cart, CATALOG)


def test_percent_after_buy_x_get_y_only_discounts_what_is_left():
    promos = [CategoryPercent("apparel", 10), BuyXGetY("SOCK-1", buy=3, free=1)]
    receipt = price_cart(cart_of(("SOCK-1", 4)), CATALOG, promos)
    # 4 x 5.00, one free -> 15.00, then 10% of 15.00
    assert [a.amount_cents for a in receipt.adjustments] == [500, 150]
    assert receipt.total_cents == 1350
    assert receipt.lines[0].net_cents == 1350


def test_stacked_percentages_compound():
    promos = [CategoryPercent("kitchen", 50), CategoryPercent("kitchen", 50, priority=25)]
    receipt = price_cart(cart_of(("PAN-4", 1)), CATALOG, promos)
    assert receipt.total_cents == 1000
    assert receipt.discount_cents == 3000


def test_coupon_threshold_uses_discounted_amount():
    promos = [CategoryPercent("kitchen", 10), OrderAmountOff(1000, threshold_cents=5000, code="SAVE10")]
    # 40.00 + 12.00 = 52.00, minus 10% = 46.80 -> below the 50.00 threshold
    receipt = price_cart(cart_of(("PAN-4", 1), ("MUG-3", 1)), CATALOG, promos, coupon="SAVE10")
    assert receipt.total_cents == 4680
    assert all(a.sku is not None for a in receipt.adjustments)
    # with a bigger basket the coupon does apply
    receipt = price_cart(cart_of(("PAN-4", 2)), CATALOG, promos, coupon="SAVE10")
    assert receipt.total_cents == 8000 - 800 - 1000


def test_order_discount_capped_at_what_is_left():
    promos = [BuyXGetY("MUG-3", buy=1, free=1), OrderAmountOff(2000)]
    receipt = price_cart(cart_of(("MUG-3", 2)), CATALOG, promos)
    assert receipt.total_cents == 0
    assert receipt.discount_cents == 2400
    assert [a.amount_cents for a in receipt.adjustments] == [1200, 1200]


def test_same_sku_added_in_any_case_is_one_line():
    cart = Cart()
    cart.add("sock-1", 2)
    cart.add("SOCK-1", 1)
    cart.add("  Sock-1 ", 1)
    assert [(line.sku, line.quantity) for line in cart.lines] == [("SOCK-1", 4)]
    receipt = price_cart(cart, CATALOG, [BuyXGetY("sock-1", buy=3, free=1)])
    assert receipt.total_cents == 1500


def test_lowercase_lines_can_be_removed_partially():
    cart = Cart()
    cart.add("hat-2", 1)
    cart.add("hat-2", 2)
    cart.remove("HAT-2", 2)
    assert cart.quantity_of("hat-2") == 1
    assert len(cart.lines) == 1


def test_full_checkout_scenario_and_receipt():
    cart = Cart()
    cart.add("sock-1", 3)
    cart.add("hat-2")
    cart.add("Sock-1")
    promos = [
        OrderAmountOff(500, threshold_cents=2500, code="WELCOME"),
        CategoryPercent("apparel", 20),
        BuyXGetY("SOCK-1", buy=3, free=1),
    ]
    receipt = price_cart(cart, CATALOG, promos, coupon="welcome")
    # socks 20.00 -> 15.00 -> 12.00 ; hat 18.00 -> 14.40 ; 26.40 >= 25.00 -> minus 5.00
    assert receipt.total_cents == 2140
    text = render_receipt(receipt)
    assert text.splitlines()[-1].split() == ["TOTAL", "21.40"]
    assert "-3.00" in text and "-3.60" in text and "-5.00" in text
