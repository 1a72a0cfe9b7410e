"""Vendored kvstore client library (v1: deprecated, v2: current) and an in-memory server."""
