"""Front ends: the screen contract, the words on every screen, the journal, the game session,
and the plain and terminal screens. Only play/terminal.py imports prompt_toolkit."""
