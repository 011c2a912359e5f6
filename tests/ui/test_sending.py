"""| pipes the story to a command (an argv list, never a shell; text or Markdown on stdin), M
saves it as a Markdown file."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from textual.widgets import Input

from reader.articles.markdown import read_front_matter
from reader.config import Config, PipeConfig
from reader.ui.app import ReaderApp
from reader.ui.screens.dialogs import Chooser, Prompt
from tests.ui.conftest import notes, settle, until, wait_for_note

Factory = Callable[..., ReaderApp]

RECORD = """import json, sys
data = sys.stdin.buffer.read().decode("utf-8")
open(sys.argv[1], "w", encoding="utf-8").write(json.dumps({"argv": sys.argv[2:], "stdin": data}))
print("got", len(data), "characters")
"""


def recorder(tmp_path: Path) -> tuple[Path, Path]:
    script = tmp_path / "record.py"
    script.write_text(RECORD, encoding="utf-8")
    return script, tmp_path / "piped.json"


async def test_pipe_sends_the_story_as_text_to_an_argv(
    app_factory: Factory, tmp_path: Path
) -> None:
    script, out = recorder(tmp_path)
    argv = (sys.executable, str(script), str(out), "$(touch pwned)", "; rm -rf /")
    app = app_factory(Config(pipe=PipeConfig(commands=(argv,))))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("vertical_line")  # the headline under the cursor: Welcome to tidings
        await wait_for_note(pilot, "Piped to")
    got = json.loads(out.read_text(encoding="utf-8"))
    assert got["argv"] == ["$(touch pwned)", "; rm -rf /"]  # arguments, never a shell
    assert not (Path.cwd() / "pwned").exists()
    assert got["stdin"].startswith("Welcome to tidings\nTidings Weekly · Ann Author\n")
    assert "Intro with bold, italic and a link" in got["stdin"]
    assert any(n.startswith(f"Piped to {sys.executable}: got ") for n in notes(app))


async def test_pipe_chooses_among_commands_and_sends_markdown(
    app_factory: Factory, tmp_path: Path
) -> None:
    script, out = recorder(tmp_path)
    failing = (sys.executable, "-c", "import sys; sys.exit(3)")
    config = Config(pipe=PipeConfig(commands=(failing, (sys.executable, str(script), str(out))),
                                    format="markdown"))  # fmt: skip
    app = app_factory(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("vertical_line")
        await until(pilot, lambda: isinstance(app.screen, Chooser), "the choice")
        await pilot.press("enter")  # the failing one
        await wait_for_note(pilot, "exited with 3")
        await pilot.press("vertical_line")
        await until(pilot, lambda: isinstance(app.screen, Chooser), "the choice")
        await pilot.press("down", "enter")
        await wait_for_note(pilot, "Piped to")
    fields, body = read_front_matter(json.loads(out.read_text(encoding="utf-8"))["stdin"])
    assert fields["title"] == "Welcome to tidings" and "**bold**" in body


async def test_capital_m_saves_the_story_as_markdown(app_factory: Factory, tmp_path: Path) -> None:
    app = app_factory()
    folder = tmp_path / "saved"
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j")  # the Chinese story
        await pilot.press("M")
        await until(pilot, lambda: isinstance(app.screen, Prompt), "the folder prompt")
        app.screen.query_one(Input).value = str(folder)
        await pilot.press("enter")
        await wait_for_note(pilot, "Saved ")
    [saved] = list(folder.iterdir())
    assert saved.name.endswith(".md") and "2026-11-28" in saved.name
    fields, body = read_front_matter(saved.read_text(encoding="utf-8"))
    assert fields["title"] == "咸宁：严厉禁毒 温情戒毒 全民拒毒" and "国家禁毒委员会" in body
