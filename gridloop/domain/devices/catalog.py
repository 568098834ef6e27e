"""The registry of device kinds.

Built-in kinds are modules of `gridloop.domain.devices.kinds`, each exposing `KIND`; extensions
register theirs through the same `register` (or the `gridloop.device_kinds` entry point group).
Discovery happens on first use, never at import time.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator

from gridloop.domain.devices.kind import DeviceKind


class KindCatalog:
    def __init__(self, loaders: Iterable[Callable[[], Iterable[DeviceKind]]] = ()) -> None:
        self._kinds: dict[str, DeviceKind] = {}
        self._loaders = list(loaders)
        self._loaded = False

    def register(self, kind: DeviceKind) -> None:
        known = self._kinds.get(kind.code)
        if known is not None and known is not kind:
            raise ValueError(f"device kind {kind.code!r} is registered twice")
        self._kinds[kind.code] = kind

    def _ensure_loaded(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        for load in self._loaders:
            for kind in load():
                self.register(kind)

    def get(self, code: str) -> DeviceKind:
        self._ensure_loaded()
        try:
            return self._kinds[code]
        except KeyError:
            raise KeyError(f"unknown device kind {code!r}") from None

    def __contains__(self, code: object) -> bool:
        self._ensure_loaded()
        return code in self._kinds

    def __iter__(self) -> Iterator[DeviceKind]:
        self._ensure_loaded()
        return iter(sorted(self._kinds.values(), key=lambda k: k.code))

    def codes(self) -> list[str]:
        return [k.code for k in self]


def builtin_kinds() -> list[DeviceKind]:
    """Every module in the `kinds` package that defines `KIND`."""
    from gridloop.domain.devices import kinds

    found: list[DeviceKind] = []
    for info in pkgutil.iter_modules(kinds.__path__):
        module = importlib.import_module(f"{kinds.__name__}.{info.name}")
        kind = getattr(module, "KIND", None)
        if isinstance(kind, DeviceKind):
            found.append(kind)
    return found


def default_catalog(*extra: Callable[[], Iterable[DeviceKind]]) -> KindCatalog:
    """The built-in kinds plus any given loaders (the bootstrap adds entry points)."""
    return KindCatalog([builtin_kinds, *extra])
