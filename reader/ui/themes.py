"""Themes as data: TOML files loaded into Textual `Theme` objects, and the remembered choice.

Shipped themes live in the repository's `themes/` directory, installed with the wheel under
`<prefix>/share/tidings/themes`; a person adds their own as `<config dir>/themes/*.toml` (a file
with a shipped theme's name replaces it). A theme file::

    name = "newsprint"
    order = 2                # place in the `t` cycle (default 100, then by name)
    dark = false
    primary = "#1F4E79"      # also: secondary accent foreground background surface panel
    background = "#F4EFE4"   # boost warning error success (colours Textual can parse)
    [variables]              # optional: any Textual design variable
    block-cursor-background = "#1F4E79"

The theme chosen with `t` or the command palette is remembered in the data directory
(`ui-state.json`, see reader.ui.state), not in config.toml; changing `[ui] theme` in
config.toml wins over it.
"""

from __future__ import annotations

import site
import sys
import sysconfig
import tomllib
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from textual.app import App
from textual.color import Color, ColorParseError
from textual.theme import Theme

FALLBACK_THEME = "textual-dark"  # when no theme files are found at all
COLOURS = ("primary", "secondary", "accent", "foreground", "background", "surface", "panel",
           "boost", "warning", "error", "success")  # fmt: skip


class ThemeError(Exception):
    """A theme file that cannot be used; the message names the file and the problem."""


def _colour(path: Path, key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ThemeError(f"{path.name}: {key}: expected a colour string")
    try:
        Color.parse(value)
    except ColorParseError:
        raise ThemeError(f"{path.name}: {key}: not a colour: {value!r}") from None
    return value


def parse_theme(path: Path) -> tuple[int, Theme]:
    """Read one theme file: its place in the `t` cycle (`order`, default 100) and the theme.
    Raises ThemeError."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ThemeError(f"{path.name}: cannot read: {exc}") from None
    name = data.pop("name", path.stem)
    if not isinstance(name, str) or not name.strip():
        raise ThemeError(f"{path.name}: name: expected a non-empty string")
    dark = data.pop("dark", True)
    if not isinstance(dark, bool):
        raise ThemeError(f"{path.name}: dark: expected true or false")
    variables = data.pop("variables", {})
    if not isinstance(variables, dict):
        raise ThemeError(f"{path.name}: variables: expected a table")
    order = data.pop("order", 100)
    if not isinstance(order, int):
        raise ThemeError(f"{path.name}: order: expected an integer")
    unknown = sorted(set(data) - set(COLOURS) - {"description"})
    if unknown:
        raise ThemeError(f"{path.name}: {unknown[0]}: unknown key")
    colours = {k: _colour(path, k, v) for k, v in data.items() if k in COLOURS}
    if "primary" not in colours:
        raise ThemeError(f"{path.name}: primary: required")
    for key, value in variables.items():
        if not isinstance(value, str):
            raise ThemeError(f"{path.name}: variables.{key}: expected a string")
    theme = Theme(name=name.strip(), primary=colours["primary"], dark=dark, variables=variables)
    for key, value in colours.items():
        setattr(theme, key, value)
    return order, theme


def shipped_dirs() -> Iterator[Path]:
    """Where the shipped themes may be: a source checkout, then the installed data dirs."""
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file():
        yield checkout / "themes"
    prefixes = [sysconfig.get_path("data"), sys.prefix, getattr(site, "USER_BASE", None) or ""]
    for prefix in dict.fromkeys(p for p in prefixes if p):
        yield Path(prefix) / "share" / "tidings" / "themes"


def load_themes(
    user_dir: Path | None, shipped: Iterable[Path] | None = None
) -> tuple[list[Theme], list[str]]:
    """Shipped themes (from the first directory that has any), then the user's; and the
    problems found (one line each) in files that could not be used."""
    themes: dict[str, tuple[int, Theme]] = {}
    problems: list[str] = []
    dirs = list(shipped_dirs() if shipped is None else shipped)
    first = next((d for d in dirs if d.is_dir() and any(d.glob("*.toml"))), None)
    for directory in [first, user_dir]:
        if directory is None or not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.toml")):
            try:
                order, theme = parse_theme(path)
            except ThemeError as exc:
                problems.append(f"theme {exc}")
                continue
            themes[theme.name] = (order, theme)
    ranked = sorted(themes.values(), key=lambda pair: (pair[0], pair[1].name))
    return [theme for _, theme in ranked], problems


def pick_theme(
    configured: str, remembered: str | None, ours: Sequence[str], known: Collection[str], file: str
) -> tuple[str, list[str]]:
    """The theme to start with (the one picked last time, else `[ui] theme`, else our first)
    and the problems to report: a `[ui] theme` that names no theme is said, naming `file`."""
    problems: list[str] = []
    if configured not in known:
        shown = ", ".join(ours) or "none"
        problems.append(f"{file}: ui.theme: no theme named {configured!r} (there are: {shown})")
    for wanted in (remembered, configured):
        if wanted is not None and wanted in known:
            return wanted, problems
    return (ours[0] if ours else FALLBACK_THEME), problems


def set_first_theme(app: App[Any], name: str) -> None:
    """Set the theme `app` starts with, before it runs.

    Setting `App.theme` makes Textual parse every stylesheet again on its first turn (they were
    read with the default theme's variables): the whole CSS twice before the first frame. When
    the theme maps ANSI colours as the default one does (dark or light, native ANSI or not:
    what the theme's watcher does besides the CSS depends on that), the stylesheet is given the
    theme's variables before its first parse instead, and the watcher's classes are set here.
    """
    current, wanted = app.current_theme, app.get_theme(name)
    if (
        app.is_running
        or wanted is None
        or (wanted.dark, wanted.ansi) != (current.dark, current.ansi)
    ):
        app.theme = name
        return
    app.set_reactive(App.theme, name)
    themes = {c: False for c in app.classes if c.startswith("-theme-")}
    app.update_classes({**themes, f"-theme-{name}": True, "-dark-mode": wanted.dark,
                        "-light-mode": not wanted.dark}, update=False)  # fmt: skip
    app.stylesheet.set_variables(app.get_css_variables())
