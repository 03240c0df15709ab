"""LianXin POS (连心收银). ``python main.py`` opens the till; ``python main.py COMMAND …`` is the CLI.

With no arguments the till window opens without loading the command line first (ui/startup.py:
``plain_start``), so the login window is painted sooner; anything else goes to ``pos.cli``.
"""

import sys


def main() -> int:
    if len(sys.argv) > 1:
        from pos.cli import main as cli_main

        return cli_main()
    from ui.startup import plain_start

    return plain_start()


if __name__ == "__main__":
    sys.exit(main())
