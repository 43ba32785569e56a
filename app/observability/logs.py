"""JSON log lines on stdout through stdlib logging; uvicorn's own access log is switched off
because it records raw paths with query strings."""

import json
import logging
import sys
import time
from typing import Any

# Attributes every LogRecord has; anything else passed through ``extra=`` becomes a JSON field.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}
_HANDLER_NAME = "screener-json"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the ``extra`` fields.
    Exceptions are reduced to their type name: tracebacks can show local values (answers)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD:
                line[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            line["exc_type"] = record.exc_info[0].__name__
        return json.dumps(line, separators=(",", ":"), default=str)


def configure_logging(level: str = "INFO") -> None:
    """Send the ``app`` loggers to stdout as JSON (idempotent) and silence uvicorn.access."""
    app_logger = logging.getLogger("app")
    if not any(handler.get_name() == _HANDLER_NAME for handler in app_logger.handlers):
        handler = logging.StreamHandler(sys.stdout)
        handler.set_name(_HANDLER_NAME)
        handler.setFormatter(JsonFormatter())
        app_logger.addHandler(handler)
    app_logger.setLevel(level.upper())
    app_logger.propagate = False
    # uvicorn decides per connection with hasHandlers(); without handlers it logs nothing.
    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False
    access.disabled = True
