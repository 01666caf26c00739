"""Entry point: ``python -m bot`` runs the bot; subcommands administer it."""

from bot.main.cli import main

raise SystemExit(main())
