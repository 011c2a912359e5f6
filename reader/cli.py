"""Command line (placeholder while the core lands)."""


def main() -> int:
    return 0
