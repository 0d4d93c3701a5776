"""The `iscctl` command line (click)."""
