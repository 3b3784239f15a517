"""Control characters: what a story may not send to the player's terminal.

A YAML double-quoted string can hold any character ("\\e]52;c;...\\a" writes the clipboard,
"\\x9b2J" clears the screen through the one-byte CSI), and so can a plain-text source file.
The loader removes them once, from every string it reads, so no front end has to: C0 controls
but newline and tab, DEL, C1 controls (U+0080-U+009F, U+009B included), and whole escape
sequences (ESC [ ... final, ESC ] ... BEL, their one-byte forms), so that no half of one is left
to print as garbage.
"""
from __future__ import annotations

import re

# ESC or its one-byte C1 form, then: a CSI (parameters, intermediates, a final byte); a string
# command (OSC, DCS, SOS, PM, APC) up to BEL or ST or the next ESC; or one more character.
_SEQUENCE = (r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
             r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
             r"|\x1b[ -~]?")
_CONTROL = re.compile(_SEQUENCE + r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Every sequence starts with one of these, so a single character class (8x faster than the
# alternation above, measured) answers "anything to remove?" for the many clean strings.
_ANY = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
any_control = _ANY.search  # for the loader's hot path: a C call, no Python frame

_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0D: "CR", 0x1B: "ESC", 0x7F: "DEL", 0x9B: "CSI"}


def has_controls(text: str) -> bool:
    return _ANY.search(text) is not None


def strip_controls(text: str) -> str:
    """The text without control characters and escape sequences; newlines and tabs kept."""
    return _CONTROL.sub("", text) if _ANY.search(text) else text


def first_control(text: str) -> tuple[int, str] | None:
    """The offset of the first control character and its name (ESC, U+009B), or None."""
    if _ANY.search(text) is None:
        return None
    m = _CONTROL.search(text)
    if m is None:
        return None
    code = ord(m.group()[0])
    return m.start(), _NAMES.get(code, f"U+{code:04X}")


def shown(value: object, width: int = 40) -> str:
    """A value from a file, fit to be quoted in a one-line message: no control characters,
    whitespace and newlines folded to single spaces, clipped to `width` characters."""
    text = " ".join(strip_controls(str(value)).split())
    return text if len(text) <= width else text[: width - 1] + "…"
