"""`python -m bascule`."""

from bascule.cli.main import entry

if __name__ == "__main__":
    entry()
