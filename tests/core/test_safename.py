"""Names for downloaded enclosures made from hostile feed text never leave the folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.downloads import player_argv
from reader.errors import UsageError
from reader.safename import PART_BYTES, clean_part, enclosure_path, extension, inside

DAY = 1_764_590_400  # 2025-12-01


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("../../etc/passwd", "_.._etc_passwd"),
        ("/absolute/path", "_absolute_path"),
        ("C:\\Windows\\system32", "C__Windows_system32"),
        ("nul\x00byte", "nulbyte"),
        ("CON", "_CON"),
        ("com1.mp3", "_com1.mp3"),
        ("lpt9", "_lpt9"),
        ("...", "untitled"),
        ("  . ", "untitled"),
        ("", "untitled"),
        ("\x1b]8;;http://x\x07click\x1b]8;;\x07", "click"),
        ("evil\u202etxt.exe", "eviltxt.exe"),
        ('a<b>c:d"e|f?g*h', "a_b_c_d_e_f_g_h"),
        ("第一集：咸宁新闻", "第一集：咸宁新闻"),
        ("tab\tand\nnewline", "tab and newline"),
    ],
)
def test_hostile_parts_are_made_safe(title: str, expected: str) -> None:
    assert clean_part(title) == expected


def test_long_names_are_cut_on_a_character_boundary() -> None:
    part = clean_part("名字" * 200)
    assert len(part.encode()) <= PART_BYTES and part == "名字" * (PART_BYTES // 6)
    assert len(clean_part("x" * 1000).encode()) == PART_BYTES


def test_a_whole_path_is_two_safe_parts_inside_the_folder(tmp_path: Path) -> None:
    rel = enclosure_path("../../..", "/etc/shadow\x00", DAY, "http://h/a.MP3?x=1", "audio/mpeg")
    assert rel == "feed/2025-12-01 _etc_shadow.mp3"
    assert inside(tmp_path, rel).is_relative_to(tmp_path.resolve())
    tagged = enclosure_path("Feed", "Same title", DAY, "http://h/a", "audio/mpeg", "42-2")
    assert tagged == "Feed/2025-12-01 Same title (42-2).mp3"
    assert len(enclosure_path("F", "长" * 500, DAY, "http://h/a.mp3", "", "9").encode()) < 255


@pytest.mark.parametrize(
    ("url", "mime", "ext"),
    [
        ("https://cdn.example/ep/1.mp3", "", ".mp3"),
        ("https://cdn.example/ep/1.M4A?token=x", "audio/mpeg", ".m4a"),
        ("https://cdn.example/play?id=3", "audio/mpeg", ".mp3"),
        ("https://cdn.example/x.exe%2F..%2F..", "", ""),
        ("https://cdn.example/file.tar.gz;rm -rf", "", ""),
        ("https://cdn.example/noext", "", ""),
    ],
)
def test_the_extension_is_letters_and_digits_only(url: str, mime: str, ext: str) -> None:
    assert extension(url, mime) == ext


def test_inside_refuses_what_would_leave_the_folder(tmp_path: Path) -> None:
    for bad in ("../x", "/etc/passwd", "a/../../x", "", "."):
        with pytest.raises(ValueError):
            inside(tmp_path, bad)
    outside = tmp_path.parent / "elsewhere"
    (tmp_path / "link").symlink_to(outside)
    with pytest.raises(ValueError):
        inside(tmp_path, "link/file.mp3")


def test_the_player_argv_takes_the_target_as_one_element() -> None:
    assert player_argv(["mpv", "--no-video", "{file}"], "/p/a b.mp3") == [
        "mpv", "--no-video", "/p/a b.mp3",
    ]  # fmt: skip
    assert player_argv(["vlc", "--play-and-exit"], "http://x/a.mp3") == [
        "vlc", "--play-and-exit", "http://x/a.mp3",
    ]  # fmt: skip
    assert player_argv(["mpv", "{url}"], "$(rm -rf ~); x") == ["mpv", "$(rm -rf ~); x"]
    with pytest.raises(UsageError, match=r"set \[enclosures\] player"):
        player_argv([], "x")
