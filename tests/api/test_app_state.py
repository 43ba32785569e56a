"""app.state keeps Starlette's State behaviour and holds its entries as plain attributes."""

import pytest
from starlette.datastructures import State

from app.api.app_state import AppState
from app.config import Settings
from app.main import create_app


def test_the_app_state_reads_entries_as_attributes() -> None:
    app = create_app(Settings(rate_limit_per_minute=0))
    # Starlette's State would answer through __getattr__ with no instance attribute at all.
    assert isinstance(app.state, AppState)
    assert vars(app.state)["settings"] is app.state.settings is app.state["settings"]


@pytest.mark.parametrize("kind", [State, AppState])
def test_app_state_behaves_as_starlette_state(kind: type[State]) -> None:
    state = kind()
    state.catalog = "first"
    state["metrics"] = "counter"
    assert (state.catalog, state.metrics, state["catalog"]) == ("first", "counter", "first")
    state.catalog = "reloaded"  # the reloader swaps the catalog this way
    assert state.catalog == state["catalog"] == "reloaded"
    assert sorted(state) == ["catalog", "metrics"] and len(state) == 2
    del state.catalog
    del state["metrics"]
    assert getattr(state, "catalog", None) is None and getattr(state, "metrics", None) is None
    assert len(state) == 0
    with pytest.raises(AttributeError):
        _ = state.catalog
