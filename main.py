"""LianXin POS (连心收银). ``python main.py`` opens the till; ``python main.py COMMAND …`` is the CLI."""

import sys

from pos.cli import main

if __name__ == "__main__":
    sys.exit(main())
