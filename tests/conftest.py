"""For every test: figures are validated when drawn (the server skips it; see ui.figures.show)."""

import os

os.environ["ATTENTION_EXPLORER_VALIDATE_FIGURES"] = "1"
