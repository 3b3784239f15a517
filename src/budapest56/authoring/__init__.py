"""Tools for authors: start a story (new), see it (graph), let an editor check it (schemas)."""
