"""Every action the reader has, its default keys, the pane that owns it, and the keymap from
config.toml [keys].

An action's name is its binding id and its key in `[keys]` (`next_unread = "n,ctrl+n"`); the
same name may be bound in several panes (`down` moves a list and scrolls the reading pane), and
one `[keys]` line rebinds it everywhere.

Scopes say which part owns an action's binding:
- "list": every list pane (feeds, headlines) moves its cursor;
- "article": the reading pane scrolls;
- "story": the headline pane and the reading pane act on *their* story (the one under the
  cursor, the one open), posting `StoryWanted`; the screen does the work;
- "feeds": the feed pane acts on the feed (or tag) under its cursor, posting `FeedList.Wanted`;
- "search": the search bar;
- "screen": the main screen, from any pane (moving between panes and stories, overlays);
- target "app.": the App (theme, quit).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from textual.binding import Binding

Scope = Literal["list", "article", "story", "feeds", "search", "screen"]


@dataclass(frozen=True, slots=True)
class Action:
    """One bindable action: `name` is the binding id and the `[keys]` entry."""

    name: str
    keys: str
    label: str  # short, for the footer
    help: str  # one line, for the help overlay and the command palette
    scopes: tuple[Scope, ...] = ("screen",)
    show: int = 0  # place in the footer (0: not shown there; the help overlay has them all)
    target: str = ""  # "app." for actions the App runs


ACTIONS: tuple[Action, ...] = (
    Action("down", "j,down", "Down", "Move down / scroll down", ("list", "article")),
    Action("up", "k,up", "Up", "Move up / scroll up", ("list", "article")),
    Action("top", "g,home", "Top", "Go to the top", ("list", "article")),
    Action("bottom", "G,end", "Bottom", "Go to the bottom", ("list", "article")),
    Action("page_down", "pagedown,ctrl+d", "Page down", "Page down", ("list", "article")),
    Action("page_up", "pageup,ctrl+u", "Page up", "Page up", ("list", "article")),
    Action("select", "enter", "Open", "Open the story / choose the feed", ("list",)),
    Action("next_unread", "n", "Next unread", "Next unread story, across feeds", show=2),
    Action("prev_unread", "p", "Prev unread", "Previous unread story, across feeds"),
    Action("page", "space", "Page", "Page the story; at its end, the next unread"),
    Action("page_back", "backspace", "Page back", "Page the reading pane back"),
    Action("next_pane", "tab", "Next pane", "Focus the next pane"),
    Action("prev_pane", "shift+tab", "Previous pane", "Focus the previous pane"),
    Action("pane_left", "h,left", "Left", "Focus the pane to the left (feeds)"),
    Action("pane_right", "l,right", "Right", "Focus the pane to the right (reading)"),
    Action("back", "escape", "Back", "Back: story → headlines → feeds; leave a search", show=7),
    Action("open_link", "o", "Browser", "Open the story's link in the browser", ("story",),
           show=11),
    Action("links", "u", "Links", "List the story's links to open one", ("story",)),
    Action("bookmark", "b", "Bookmark", "Bookmark (and keep the full story) / unbookmark",
           ("story",), show=4),
    Action("tag", "B", "Tag", "Tag the story's bookmark (bookmarks it)", ("story",)),
    Action("toggle_read", "m", "Read/unread", "Mark the story read or unread", ("story",),
           show=10),
    Action("summary", "s", "Summary", "The story's summary ⇄ the whole story", ("story",),
           show=3),
    Action("full_text", "f", "Full text", "Fetch the whole story from its web page", ("story",)),
    Action("pipe", "vertical_line", "Pipe", "Pipe the story to a command of [pipe] commands",
           ("story",)),
    Action("save_markdown", "M", "Markdown", "Save the story as a Markdown file", ("story",)),
    Action("summary_lines", "v", "Summary lines", "A summary line under each title (on/off)"),
    Action("mark_feed_read", "A", "All read",
           "Mark everything listed read (a feed, a tag, All, every search hit); asks first"),
    Action("undo", "U", "Undo", "Undo the last mark of many stories (A)"),
    Action("add_feed", "a", "Add", "Add a feed or a web site (its feeds are found)", ("feeds",),
           show=12),
    Action("remove_feed", "D", "Remove", "Remove the feed (asks first; bookmarks are kept)",
           ("feeds",)),
    Action("rename_feed", "c", "Rename",
           "Rename the feed (kept across refreshes; empty: its own title)", ("feeds",)),
    Action("feed_tags", "T", "Tags", "Edit the feed's tags", ("feeds",)),
    Action("import_feeds", "i", "Import", "Import an OPML or newsboat urls file", ("feeds",)),
    Action("export_feeds", "x", "Export", "Export every feed as OPML", ("feeds",)),
    Action("sort_feeds", "O", "Order", "Order the feeds by unread count ⇄ by name (kept)",
           ("feeds",)),
    Action("refresh_feed", "r", "Refresh feed", "Refresh the selected feed"),
    Action("refresh_all", "R", "Refresh all", "Refresh every feed"),
    Action("feed_health", "e", "Feed health", "Feed health: last ok, errors, HTTP status"),
    Action("search", "slash", "Search", "Search every stored story", show=1),
    Action("save_search", "S", "Save search",
           "Save the search in the feed pane (on a saved search: remove it)"),
    Action("digest", "d", "Digest", "Digest: today's unread (or the feed's), summarised", show=8),
    Action("search_results", "down", "Results", "To the hits (the search bar)", ("search",),
           show=12),
    Action("search_save", "ctrl+s", "Save search", "Save the search typed (the search bar)",
           ("search",), show=13),
    Action("enclosures", "E", "Enclosures",
           "The story's enclosures (podcast episodes): play one or download it", ("story",)),
    Action("downloads", "P", "Downloads", "The download queue, a progress bar per file"),
    Action("save_page", "W", "Save page", "Save a web page's story by its address (a bookmark)"),
    Action("cycle_theme", "t", "Theme", "Switch to the next theme", target="app.", show=9),
    Action("help", "question_mark", "Help", "Show every key", show=5),
    Action("quit", "q", "Quit", "Quit tidings", target="app.", show=6),
)  # fmt: skip

BY_NAME: dict[str, Action] = {a.name: a for a in ACTIONS}

FEED_PANE: dict[str, tuple[str, str, str]] = {
    # story keys that act on the feed in the feed pane: name -> (feed action, label, help)
    "toggle_read": ("mark_read", "Feed read", "Mark the feed (or tag) under the cursor read"),
    "open_link": ("open_site", "Site", "Open the feed's web site in the browser"),
}

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Everywhere", ("next_unread", "prev_unread", "page", "page_back", "next_pane", "prev_pane",
                    "pane_left", "pane_right", "back", "search", "digest", "help", "quit",
                    "cycle_theme")),
    ("In the lists", ("down", "up", "top", "bottom", "page_down", "page_up", "select")),
    ("The story (headlines and reading pane)", ("summary", "full_text", "open_link", "links",
                                                "bookmark", "tag", "toggle_read", "pipe",
                                                "save_markdown")),
    ("Finding stories", ("save_search", "summary_lines")),
    ("Feeds", ("mark_feed_read", "undo", "refresh_feed", "refresh_all", "feed_health")),
    ("In the feed pane", ("add_feed", "remove_feed", "rename_feed", "feed_tags", "import_feeds",
                          "export_feeds", "sort_feeds")),
    ("The search bar", ("search_results", "search_save")),
    ("Podcasts and pages", ("enclosures", "downloads", "save_page")),
)  # fmt: skip


def _binding(action: Action, scope: Scope) -> Binding:
    name = action.target + action.name
    if scope in ("story", "feeds"):
        name = f"{'story' if scope == 'story' else 'feed'}('{action.name}')"
    return Binding(action.keys, name, action.label, show=bool(action.show), id=action.name,
                   tooltip=action.help)  # fmt: skip


def bindings(scope: Scope) -> list[Binding]:
    """The bindings of one scope (each with its action name as id). Story actions run
    `story(NAME)` on the pane; feed-pane actions run `feed(NAME)`."""
    chosen = sorted((a for a in ACTIONS if scope in a.scopes), key=lambda a: a.show or 99)
    found = [_binding(a, scope) for a in chosen]
    if scope == "feeds":
        for name, (feed_action, label, help_text) in FEED_PANE.items():
            found.append(Binding(BY_NAME[name].keys, f"feed('{feed_action}')", label,
                                 show=False, id=name, tooltip=help_text))  # fmt: skip
    return found


def bindings_of(*names: str) -> list[Binding]:
    """Bindings for the named actions (overlays reuse `down` and `up`, and their keymap)."""
    return [Binding(BY_NAME[n].keys, n, BY_NAME[n].label, show=False, id=n) for n in names]


def keymap(configured: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """The Textual keymap from `[keys]` and the names in it that are not actions."""
    known = {name: keys for name, keys in configured.items() if name in BY_NAME}
    unknown = sorted(name for name in configured if name not in BY_NAME)
    cleaned = {name: ",".join(k.strip() for k in keys.split(",") if k.strip())
               for name, keys in known.items()}  # fmt: skip
    return cleaned, unknown


def effective_keys(action: Action, configured: Mapping[str, str]) -> list[str]:
    """The keys bound to `action` now: the configured ones, else the defaults."""
    keys = configured.get(action.name, action.keys)
    return [k.strip() for k in keys.split(",") if k.strip()]
