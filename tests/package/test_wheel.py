"""The wheel people install with pipx or uv: it carries the themes, the demo feeds and the
stylesheet, and `tidings` runs from it outside the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*cmd: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the built wheel installed by its own pip (offline), then given the dev
    venv's packages as its dependencies, so no network is needed. The dev venv's pip must not
    install it: pip would first uninstall the dev venv's own (editable) tidings."""
    tmp = tmp_path_factory.mktemp("wheel")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
        "-w", tmp / "dist", ROOT, cwd=tmp)  # fmt: skip
    wheel = next((tmp / "dist").glob("tidings-*.whl"))
    fresh = tmp / "fresh"
    run(sys.executable, "-m", "venv", fresh, cwd=tmp)
    run(fresh / "bin" / "python", "-m", "pip", "install", "--no-deps", "--no-index", "-q",
        wheel, cwd=tmp)  # fmt: skip
    purelib = Path(sysconfig.get_path("purelib", vars={"base": str(fresh), "platbase": str(fresh)}))
    (purelib / "dev-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return fresh


def test_installing_the_wheel_leaves_the_dev_venv_alone(installed: Path) -> None:
    """The dev venv still has its own tidings command afterwards (make run needs it)."""
    assert (Path(sys.executable).parent / "tidings").exists()


def test_the_wheel_runs_outside_the_source_tree(installed: Path, tmp_path: Path) -> None:
    assert (installed / "bin" / "tidings").exists()
    env = dict(os.environ, TIDINGS_HOME=str(tmp_path / "home"), PYTHONPATH="")
    python = installed / "bin" / "python"
    where = run(python, "-c", "import reader; print(reader.__file__)", cwd=tmp_path, env=env)
    assert where.startswith(str(installed)), where
    assert run(python, "-m", "reader", "--version", cwd=tmp_path, env=env).startswith("tidings ")


def test_the_wheel_carries_themes_demo_feeds_and_styles(installed: Path, tmp_path: Path) -> None:
    code = (
        "from pathlib import Path\n"
        "from reader.ui.themes import load_themes\n"
        "from reader.store.db import Store\n"
        "from reader.demo import load_demo\n"
        "import reader.ui\n"
        "themes, problems = load_themes(None)\n"
        "print(sorted(t.name for t in themes), problems)\n"
        "print((Path(reader.ui.__file__).parent / 'reader.tcss').is_file())\n"
        "with Store.open(Path('t.db')) as s: print(load_demo(s))\n"
    )
    env = dict(os.environ, PYTHONPATH="")
    out = run(installed / "bin" / "python", "-c", code, cwd=tmp_path, env=env).splitlines()
    assert out[0] == "['gruvbox', 'high-contrast', 'newsprint', 'nord', 'tidings-dark'] []"
    assert out[1] == "True"
    assert int(out[2]) > 10
