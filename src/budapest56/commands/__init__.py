"""One module per `budapest56` command; see cli.py."""
