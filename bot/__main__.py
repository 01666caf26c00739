"""Entry point: ``python -m bot`` runs the bot; subcommands administer it."""

from bot.cli import main

raise SystemExit(main())
