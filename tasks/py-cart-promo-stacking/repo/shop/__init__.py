"""Cart pricing with stackable promotions."""

from shop.cart import Cart
from shop.catalog import Catalog, Product, UnknownProduct
from shop.pricing import Receipt, price_cart
from shop.receipt import render_receipt

__all__ = ["Cart", "Catalog", "Product", "Receipt", "UnknownProduct", "price_cart", "render_receipt"]
