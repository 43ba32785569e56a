"""The application's ``app.state``, read on every request: Starlette's State with its entries
kept as plain attributes too, so reading one is an attribute lookup."""

from typing import Any

from starlette.datastructures import State


class AppState(State):
    """Starlette's ``State`` answers each attribute read through ``__getattr__``, after the
    normal lookup has failed and raised inside the interpreter: about 0.7 us a read, and a
    screening reads several. Each entry here is also an instance attribute (about 0.06 us a
    read); the dictionary Starlette keeps stays the one record of them."""

    def __setattr__(self, key: str, value: Any) -> None:
        self._state[key] = value
        object.__setattr__(self, key, value)

    def __delattr__(self, key: str) -> None:
        del self._state[key]
        object.__delattr__(self, key)

    def __setitem__(self, key: str, value: Any) -> None:
        self.__setattr__(key, value)

    def __delitem__(self, key: str) -> None:
        self.__delattr__(key)
