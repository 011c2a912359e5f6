"""tidings: a terminal news reader (package `reader`)."""

__version__ = "0.1.0"
