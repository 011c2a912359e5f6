"""File names made from what a feed wrote, that stay inside the download folder on any system.

A downloaded enclosure is kept as `DIR/<feed title>/<date> <item title>.<ext>`. Both titles come
from strangers: every character that could reach outside the folder or upset a file system is
replaced (path separators, `..`, NUL and other controls, escape sequences, bidi overrides, the
characters Windows forbids), names Windows reserves (CON, NUL, COM1...) get a `_` in front, leading
and trailing dots and spaces go, and each part is cut to a length every file system takes (in
UTF-8 bytes, never inside a character: Chinese titles keep whole characters). The extension comes
from the enclosure's URL or its MIME type and is letters and digits only. `inside()` checks the
result stays under the folder, whatever the names were.
"""

from __future__ import annotations

import mimetypes
import re
import time
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from reader import textsafe
from reader.textnorm import normalize

PART_BYTES = 150  # bytes of UTF-8 for one name (file systems allow 255; room for the rest)
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = re.compile(r"(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\..*)?", re.I)
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}")


def clean_part(text: str, fallback: str = "untitled", limit: int = PART_BYTES) -> str:
    """One path component from feed text (see the module docstring)."""
    text = _FORBIDDEN.sub("_", textsafe.one_line(normalize(text)))
    text = " ".join(text.split()).strip(" .")
    encoded = text.encode("utf-8")
    if len(encoded) > limit:
        text = encoded[:limit].decode("utf-8", "ignore").rstrip(" .")
    if not text or set(text) <= {"_", "."}:
        text = fallback
    if _RESERVED.fullmatch(text):
        text = "_" + text
    return text


def extension(url: str, mime: str) -> str:
    """ ".mp3" from the URL's path, else from the MIME type; "" when neither tells."""
    suffix = PurePosixPath(unquote(urlsplit(url).path)).suffix
    if _EXTENSION.fullmatch(suffix):
        return suffix.lower()
    guessed = mimetypes.guess_extension(mime.split(";")[0].strip().lower()) if mime else None
    return guessed if guessed and _EXTENSION.fullmatch(guessed) else ""


def enclosure_path(
    feed_title: str, item_title: str, published: int, url: str, mime: str, suffix: str = ""
) -> str:
    """The relative path (POSIX separators) an enclosure is kept under; `suffix` (such as an
    item id) tells apart two episodes that would get the same name."""
    day = time.strftime("%Y-%m-%d", time.gmtime(published))
    folder = clean_part(feed_title, "feed")
    tail = f" ({suffix})" if suffix else ""
    name = clean_part(f"{day} {item_title}", day, PART_BYTES - len(tail.encode()))
    return f"{folder}/{name}{tail}{extension(url, mime)}"


def inside(root: Path, relative: str) -> Path:
    """`root/relative`, refused (ValueError) if it would be anywhere but under `root`."""
    base = root.resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base) or target == base:
        raise ValueError(f"{relative!r} is not a name inside {root}")
    return target
