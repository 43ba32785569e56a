"""Benchmark harness for ``make bench``: the screener against a minimal FastAPI floor, same run."""
