"""Front ends that show a story to a player. Each is a thin loop around engine.py."""
