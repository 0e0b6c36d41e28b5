"""dangvu: the Party-building work of a Party committee and every organisation under it."""

__version__ = "0.1.0"
