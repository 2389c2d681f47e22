"""The Self-attention lesson: every token a query; one or more heads."""
