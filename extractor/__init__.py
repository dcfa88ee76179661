"""extractor: typed, checkable data from Chinese budget-performance self-evaluations."""

__version__ = "0.1.0"
