"""A small command-line task list."""

__version__ = "1.4.0"
