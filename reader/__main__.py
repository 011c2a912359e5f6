"""`python -m reader` runs the tidings command line."""

from reader.cli import main

raise SystemExit(main())
