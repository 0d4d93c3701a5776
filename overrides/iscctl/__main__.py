"""`python -m iscctl` runs the command line."""

from iscctl.cli.main import main

main()
