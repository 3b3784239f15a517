"""Files -> Story: the format, reading YAML with every mark kept, the loader, the frozen model,
the condition language, quotes against the source, and where the bundled story lives.

Nothing here knows of play: a Story is data, built once and read by every room above.
"""
