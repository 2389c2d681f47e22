"""For every test, wherever it lives (tests/, a lesson's own lessons/<lesson>/tests/): figures are validated when
drawn (the server skips it; see ui.figures.show), and the browser tests' fixtures (tests/e2e/fixtures.py) are
loaded.  The AppTest helpers are plain modules: ``from tests.app.pages import open_page``."""

import os

os.environ["ATTENTION_EXPLORER_VALIDATE_FIGURES"] = "1"

pytest_plugins = ("tests.e2e.fixtures",)
