"""Loaders: one per input format, each returning a source.SourceDoc (dispatcher `load(path, max_mb)` to come)."""
