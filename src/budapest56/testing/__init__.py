"""The tester: transcript files and their replay, the `test` command's checks, the pytest plugin."""
