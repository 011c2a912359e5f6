"""Dates as the reader shows them, against an injectable clock and time zone (snapshot tests
pass a fixed clock and UTC, so nothing depends on when or where they run)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

Clock = Callable[[], float]
TODAY, THIS_YEAR, OLDER = 0, 1, 2  # the forms of a short date


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

    def _age(self, ts: int) -> int:
        """Which form `short` gives: 0 today, 1 within a year (or ahead), 2 older."""
        when, now = self._at(ts), self._at(self.clock())
        if when.date() == now.date():
            return TODAY
        return THIS_YEAR if now - when < timedelta(days=365) else OLDER

    def short(self, ts: int | None) -> str:
        """`08:15` today, `Nov 27` within a year, then day and year (`27 Nov 24`, the
        `old_format`)."""
        if ts is None:
            return ""
        when, age = self._at(ts), self._age(ts)
        if age == TODAY:
            return when.strftime("%H:%M")
        if age == THIS_YEAR:
            return f"{when:%b} {when.day:2d}"
        return when.strftime(self.old_format)

    def _widths(self) -> tuple[int, int, int]:
        sample = datetime(2000, 12, 28, 23, 59, tzinfo=self._zone)  # long month and day names
        return 5, len(f"{sample:%b} {sample.day:2d}"), len(sample.strftime(self.old_format))

    @property
    def short_width(self) -> int:
        """Columns of the widest `short` date."""
        return max(self._widths())

    def width_for(self, newest: int, oldest: int) -> int:
        """Columns of the `short` dates of a list whose dates run from `newest` to `oldest`
        (every form in between counts: the column does not change while the list scrolls)."""
        ages = sorted((self._age(newest), self._age(oldest)))
        return max(self._widths()[ages[0] : ages[1] + 1])

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
