"""``python -m animate`` runs the command line interface."""

from .launch import main

main()
