"""Where values sit in nested JSON-like data, for fuzz tests that edit or corrupt one value."""
from __future__ import annotations


def locations(value, location=()) -> list[tuple]:
    """Every location in `value` (itself first): tuples of keys and list indices from the root."""
    found = [location]
    if isinstance(value, dict):
        for key, item in value.items():
            found += locations(item, location + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += locations(item, location + (index,))
    return found
