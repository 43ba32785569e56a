"""Operational signals: JSON logs, request ids, Prometheus metrics. Never answers or raw paths."""
