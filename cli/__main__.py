"""``python -m gluesim.cli`` runs the gluesim command."""

from gluesim.cli.app import main

main()
