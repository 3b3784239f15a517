"""Retrieval practice: which questions to ask and when (schedule), asking them (quiz), and the
reviews inside the game (reviews)."""
