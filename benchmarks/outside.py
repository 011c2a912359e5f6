"""Pages from other extractors' test suites, which tidings was never tuned on, kept outside the
repo (their licences allow local use; we do not redistribute them).

`python -m benchmarks.outside build [--mirrors DIR]` copies them from local git snapshots of the
suites (DIR/owner+name/repo, a bare git directory) into the cache, `$TIDINGS_BENCH_CACHE`
(default ~/.cache/tidings-bench) / outside-pages:

| suite | from | licence | expected output |
| --- | --- | --- | --- |
| readability | mozilla/readability test/test-pages | Apache-2.0 | expected.html (Readability.js's output) |
| newspaper | codelucas/newspaper tests/data | MIT | text/NAME.txt (newspaper's output) |
| trafilatura | adbar/trafilatura tests/eval, cache | Apache-2.0 | evaldata.json: snippets that must be in the text ("with") and must not ("without") |

readability and newspaper are scored like the shared corpus (4-word shingles, the shared
scorer's functions); trafilatura's suite with its own metric (snippet counts summed over pages).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import CACHE

PAGES = CACHE / "outside-pages"
MIRRORS = Path("/work/.mirror")
SUITES = {
    "readability": ("mozilla/readability", "Apache-2.0"),
    "newspaper": ("codelucas/newspaper", "MIT"),
    "trafilatura": ("adbar/trafilatura", "Apache-2.0"),
}
_BLOCK = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|pre|section|article|figure"
    r"|figcaption|header|footer|dd|dt)\b[^>]*>",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Page:
    """One outside page: its HTML bytes and what it should give (a text, or snippets)."""

    suite: str
    name: str
    html: bytes
    text: str = ""
    with_: tuple[str, ...] = ()
    without: tuple[str, ...] = ()
    expected: str = ""  # the expected output as HTML (readability's pages)


class _Git:
    """Files of HEAD of a bare git directory, through one `git cat-file --batch` process."""

    def __init__(self, git_dir: Path) -> None:
        self.dir = git_dir
        self.proc = subprocess.Popen(
            ["git", "--git-dir", str(git_dir), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def names(self, under: str) -> list[str]:
        out = subprocess.run(
            [
                "git",
                "--git-dir",
                str(self.dir),
                "ls-tree",
                "-r",
                "-z",
                "--name-only",
                "HEAD",
                under,
            ],
            capture_output=True,
            check=True,
        ).stdout
        return [n.decode("utf-8", "surrogateescape") for n in out.split(b"\0") if n]

    def read(self, path: str) -> bytes | None:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(f"HEAD:{path}\n".encode("utf-8", "surrogateescape"))
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().split()
        if len(header) < 3 or header[1] != b"blob":
            return None
        data = self.proc.stdout.read(int(header[2]))
        self.proc.stdout.read(1)
        return data

    def head(self) -> str:
        return subprocess.run(
            ["git", "--git-dir", str(self.dir), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()


def html_text(html: str) -> str:
    """Plain text of an expected-output HTML fragment, blocks on their own lines (a neutral
    conversion, not tidings's renderer, so the reference does not lean towards tidings)."""
    import lxml.html

    marked = _BLOCK.sub(lambda m: "\n" + m.group() + "\n", html)
    if not marked.strip():
        return ""
    text = "".join(t for t in lxml.html.fromstring(marked).itertext() if isinstance(t, str))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _readability(git: _Git) -> Iterator[dict[str, object]]:
    base = "test/test-pages/"
    for name in sorted({n[len(base) :].split("/")[0] for n in git.names(base)}):
        source, expected = (
            git.read(f"{base}{name}/source.html"),
            git.read(f"{base}{name}/expected.html"),
        )
        if source and expected:
            markup = expected.decode("utf-8", "replace")
            yield {"name": name, "html": source, "text": html_text(markup), "expected": markup}


def _newspaper(git: _Git) -> Iterator[dict[str, object]]:
    for path in git.names("tests/data/html/"):
        name = path.rsplit("/", 1)[1].removesuffix(".html")
        source, text = git.read(path), git.read(f"tests/data/text/{name}.txt")
        if source and text:
            yield {"name": name, "html": source, "text": text.decode("utf-8", "replace")}


def _trafilatura(git: _Git) -> Iterator[dict[str, object]]:
    data = json.loads(git.read("tests/evaldata.json") or b"{}")
    for url, entry in sorted(data.items()):
        source = git.read(f"tests/cache/{entry['file']}") or git.read(f"tests/eval/{entry['file']}")
        if source:
            yield {"name": entry["file"], "html": source, "url": url,
                   "with": entry["with"], "without": entry["without"]}  # fmt: skip


def build(mirrors: Path = MIRRORS) -> None:
    """Copy the suites from git snapshots under `mirrors` into the cache."""
    readers = {"readability": _readability, "newspaper": _newspaper, "trafilatura": _trafilatura}
    for suite, (repo, licence) in SUITES.items():
        git_dir = mirrors / repo.replace("/", "+") / "repo"
        if not git_dir.exists():
            print(f"{suite}: no snapshot at {git_dir}; skipped", file=sys.stderr)
            continue
        git = _Git(git_dir)
        out = PAGES / suite
        out.mkdir(parents=True, exist_ok=True)
        index = []
        for number, entry in enumerate(readers[suite](git)):
            html = entry.pop("html")
            assert isinstance(html, bytes)
            (out / f"{number:04d}.html").write_bytes(html)
            index.append(entry | {"file": f"{number:04d}.html"})
        meta = {"repo": repo, "commit": git.head(), "licence": licence, "pages": index}
        (out / "index.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1))
        print(f"{suite}: {len(index)} pages from {repo}@{meta['commit'][:10]} ({licence})")


def load(suite: str) -> list[Page]:
    """The cached pages of `suite` ([] when the cache has none: see `build`)."""
    index = PAGES / suite / "index.json"
    if not index.exists():
        return []
    pages = json.loads(index.read_text())["pages"]
    return [
        Page(
            suite,
            p["name"],
            (PAGES / suite / p["file"]).read_bytes(),
            p.get("text", ""),
            tuple(p.get("with", ())),
            tuple(p.get("without", ())),
            p.get("expected", ""),
        )
        for p in pages
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("command", choices=["build"])
    ap.add_argument("--mirrors", type=Path, default=MIRRORS)
    args = ap.parse_args()
    build(args.mirrors)


if __name__ == "__main__":
    main()
