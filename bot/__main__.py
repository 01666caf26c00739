"""Entry point: ``python -m bot`` runs the bot; subcommands administer it."""

import gc

from bot.main.cli import main

try:
    code = main()
finally:
    # What the modules built (aiogram's models above all) is freed by the exit itself; a last
    # full collection through it would hold the exit up for most of a second.
    gc.freeze()
raise SystemExit(code)
