"""hip-pelvic-screener: a non-diagnostic hip and pelvic floor self-screening service."""

__version__ = "0.1.0"
