"""``python -m hoso.rules evaluate FILE.json`` — see ``cli.py``."""

from hoso.rules.cli import main

raise SystemExit(main())
