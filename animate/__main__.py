"""``python -m animate`` runs the command line interface."""

from .cli import main

main()
