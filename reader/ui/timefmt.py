"""Dates as the reader shows them, against an injectable clock and time zone (snapshot tests
pass a fixed clock and UTC, so nothing depends on when or where they run)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

Clock = Callable[[], float]


@dataclass(frozen=True)
class Dates:
    """Formats Unix times for the headline list and the reading pane."""

    clock: Clock = time.time
    tz: tzinfo | None = None  # None: the local zone
    old_format: str = "%d %b %y"  # dates older than a year ([ui] date_format)
    _zone: tzinfo = field(init=False, repr=False)

    def __post_init__(self) -> None:
        zone = self.tz or datetime.now().astimezone().tzinfo
        assert zone is not None
        object.__setattr__(self, "_zone", zone)

    def _at(self, ts: float) -> datetime:
        return datetime.fromtimestamp(ts, self._zone)

    def short(self, ts: int | None) -> str:
        """`08:15` today, `Nov 27` within a year, then day and year (`27 Nov 24`, the
        `old_format`)."""
        if ts is None:
            return ""
        when, now = self._at(ts), self._at(self.clock())
        if when.date() == now.date():
            return when.strftime("%H:%M")
        if now - when < timedelta(days=365):
            return f"{when:%b} {when.day:2d}"
        return when.strftime(self.old_format)

    @property
    def short_width(self) -> int:
        """Columns of the widest `short` date (the list's date column)."""
        sample = datetime(2000, 12, 28, 23, 59, tzinfo=self._zone)  # long month and day names
        return max(6, len(sample.strftime(self.old_format)))

    def long(self, ts: int | None) -> str:
        """`2026-11-27 08:15` (empty for no time)."""
        return "" if ts is None else self._at(ts).strftime("%Y-%m-%d %H:%M")

    def clock_time(self) -> str:
        """The time now, `08:15`."""
        return self._at(self.clock()).strftime("%H:%M")

    def start_of_day(self) -> int:
        """Midnight of today, as a Unix time."""
        now = self._at(self.clock())
        return int(now.replace(hour=0, minute=0, second=0, microsecond=0).timestamp())
