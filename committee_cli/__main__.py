"""``python -m committee_cli`` runs the command line."""

from committee_cli.cli.app import main

if __name__ == "__main__":
    main()
