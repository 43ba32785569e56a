"""Generated code is visible (#16): a traceback through it shows its lines, and
``screener source`` prints the function the service runs."""

import traceback

import pytest

from app.cli import main
from tests.rules.test_golden_cases import RULESETS

RULESET = RULESETS["hip-pelvic-floor"]


class _Exploding(dict[str, bool | int | str | frozenset[str]]):
    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        raise LookupError(f"reading {key}")


def test_a_traceback_through_the_generated_function_shows_its_source_line() -> None:
    with pytest.raises(LookupError) as excinfo:
        RULESET.fast_screen(_Exploding())
    rendered = "".join(traceback.format_exception(excinfo.value))
    assert f'File "<answer check and rules of {RULESET.id}>", line' in rendered
    # The line itself is shown, read back from the generated source.
    assert "= get(" in rendered


def test_screener_source_prints_the_fast_function(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["source", RULESET.id]) == 0
    printed = capsys.readouterr().out
    assert "def fast_screen(raw):" in printed
    compile(printed, "<printed>", "exec")  # it is the whole function, as Python
    assert printed.rstrip().endswith(RULESET.fast_screen.__source__.rstrip())  # type: ignore[attr-defined]
