"""The Query-attention lesson: one query (or a few) attends over a sequence X."""
