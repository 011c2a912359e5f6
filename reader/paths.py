"""Where tidings keeps its files. The only user of platformdirs.

`TIDINGS_HOME=DIR` puts config, data and cache under DIR (tests and benchmarks use it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP = "tidings"


@dataclass(frozen=True)
class Paths:
    """The three directories tidings uses and the files inside them."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path

    @property
    def config_file(self) -> Path:
        """The default config.toml."""
        return self.config_dir / "config.toml"

    @property
    def db_file(self) -> Path:
        """The SQLite store."""
        return self.data_dir / "tidings.db"


def default_paths(env: dict[str, str] | None = None) -> Paths:
    """The paths for this user, honouring TIDINGS_HOME."""
    env = dict(os.environ) if env is None else env
    home = env.get("TIDINGS_HOME")
    if home:
        root = Path(home).expanduser()
        return Paths(root / "config", root / "data", root / "cache")
    return Paths(
        Path(platformdirs.user_config_dir(APP)),
        Path(platformdirs.user_data_dir(APP)),
        Path(platformdirs.user_cache_dir(APP)),
    )
