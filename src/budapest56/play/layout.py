"""Text laid out to a width, for every screen: paragraphs wrapped without ever cutting a word,
and numbered items with their labels wrapped under themselves. Pure text; no styles."""
from __future__ import annotations

import textwrap


def wrap(text: str, width: int, indent: str = "", hanging: str | None = None) -> str:
    """Wrap each paragraph (separated by a blank line) to the width, keeping the breaks. No word
    is ever cut: one longer than the line stands alone on it. `hanging` indents the lines after
    a paragraph's first (a numbered choice's label under its number)."""
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    after = indent if hanging is None else hanging
    return "\n\n".join(textwrap.fill(p, max(width, 20), initial_indent=indent, subsequent_indent=after,
                                     break_long_words=False, break_on_hyphens=False)
                       for p in paragraphs if p)


def numbered(number: int, label: str, width: int, mark: str = "  ") -> str:
    """`  2. Go down to the cellar`, its label wrapped under itself at the width."""
    prefix = f"{mark}{number}. "
    return wrap(label, width, prefix, " " * len(prefix))
