"""Tools for authors: start a story (new), see it (graph)."""
