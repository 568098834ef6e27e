"""How much one request may ask of intake: a cap on its messages, and a cut-off for a body that
is mostly garbage. Both are decided while decoding, which touches no state: a door does it before
it takes the intake lock, so an abusive body never holds up anyone else's messages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from gridloop.domain.telemetry import Rejection, RejectReason
from gridloop.service_layer.ports import Decoded

# Lines that are no message at all, unlike a message with a wrong value or time (a gateway
# sending its backlog late is not garbage: each of those is rejected with its reason).
NOT_A_MESSAGE = frozenset({RejectReason.MALFORMED, RejectReason.TOO_LARGE, RejectReason.BAD_TYPE})
CHUNK = 500  # lines decoded between two looks at how many of them were garbage

T = TypeVar("T")
DecodeChunk = Callable[[Sequence[T], int], Decoded]  # (items, index of the first) → decoded


@dataclass(frozen=True)
class IntakeBounds:
    max_messages: int = 5_000  # per request
    max_malformed: int = 100  # malformed lines that, once most of a body, cut it short

    def __post_init__(self) -> None:
        if self.max_messages < 1 or self.max_malformed < 1:
            raise ValueError(f"intake bounds must be at least 1, got {self}")


class TooManyMessages(ValueError):
    """The request holds more messages than one request may."""

    def __init__(self, count: int, cap: int, more: bool = False) -> None:
        super().__init__(
            f"{'over ' if more else ''}{cap if more else count} messages in one request; at "
            f"most {cap} per request (max_messages_per_request): send them in several requests"
        )
        self.count, self.cap = count, cap


class MostlyGarbage(ValueError):
    """Most of what was decoded is not a message: the rest of the body is not even read."""

    def __init__(self, malformed: int, seen: int, first: Rejection, cap: int, unit: str) -> None:
        super().__init__(
            f"{malformed} of the first {seen} {unit}s are malformed (cut short after {cap}, "
            f"max_malformed_lines); the first is {unit} {first.position}: "
            f"{first.reason.value}: {first.detail}. Nothing of this request was ingested"
        )
        self.malformed, self.seen, self.first = malformed, seen, first


def decode_bounded(
    items: Sequence[T], decode: DecodeChunk[T], bounds: IntakeBounds, unit: str = "line"
) -> Decoded:
    """Decode `items` a chunk at a time; TooManyMessages or MostlyGarbage when out of bounds."""
    if len(items) > bounds.max_messages:
        raise TooManyMessages(len(items), bounds.max_messages)
    if len(items) <= CHUNK:  # the usual request: one call, nothing copied
        decoded = decode(items, 0)
        _check(decoded[3], len(items), 0, None, bounds, unit)
        return decoded
    out: Decoded = ([], [], [], [])
    malformed, first = 0, None
    for start in range(0, len(items), CHUNK):
        part = items[start : start + CHUNK]
        chunk = decode(part, start)
        for kept, more in zip(out, chunk, strict=True):
            kept.extend(more)  # type: ignore[attr-defined]
        seen = start + len(part)
        malformed, first = _check(chunk[3], seen, malformed, first, bounds, unit)
    return out


def _check(
    rejections: Sequence[Rejection],
    seen: int,
    malformed: int,
    first: Rejection | None,
    bounds: IntakeBounds,
    unit: str,
) -> tuple[int, Rejection | None]:
    """The malformed count so far (and the first of them), or MostlyGarbage."""
    for r in rejections:
        if r.reason in NOT_A_MESSAGE:
            malformed += 1
            first = first or r
    if first is not None and malformed >= bounds.max_malformed and 2 * malformed > seen:
        raise MostlyGarbage(malformed, seen, first, bounds.max_malformed, unit)
    return malformed, first


def shifted(decoded: Decoded, by: int) -> Decoded:
    """A chunk's positions counted from the start of its whole batch."""
    if by == 0:
        return decoded
    messages, raws, positions, rejections = decoded
    moved = [replace(r, position=r.position + by) for r in rejections]
    return messages, raws, [p + by for p in positions], moved
