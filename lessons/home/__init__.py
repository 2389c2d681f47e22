"""The home page: the three formulas, a live example and a tour of the lessons."""
