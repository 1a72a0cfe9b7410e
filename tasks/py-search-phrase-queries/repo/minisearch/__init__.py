"""A small inverted-index search engine with BM25 ranking."""

from minisearch.index import InvertedIndex
from minisearch.query import QuerySyntaxError, parse_query
from minisearch.search import Hit, Searcher

__all__ = ["Hit", "InvertedIndex", "QuerySyntaxError", "Searcher", "parse_query"]
