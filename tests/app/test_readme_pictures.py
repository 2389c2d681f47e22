"""The README a teacher reads: the two commands first, one small picture a registered lesson, links that lead somewhere."""

from __future__ import annotations

import re

from ui import layout

from .pages import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
MAX_PICTURE_BYTES = 150_000  # a README that opens fast on a school network
LIVE_CLASS = "docs/images/live-class.png"  # the projector of a live class (tests/e2e/test_live_class.py makes it)


def test_the_two_commands_come_first():
    first_block = README.split("```bash\n", 1)[1].split("```", 1)[0]
    assert [line.split()[:2] for line in first_block.splitlines()] == [["make", "run"], ["make", "test"]]
    assert README.index("make run") < README.index("## The lessons")


def test_every_lesson_has_its_picture_and_nothing_else_does():
    pictures = re.findall(r"!\[[^\]]*\]\((docs/images/[^)]+\.png)\)", README)
    assert pictures == [f"docs/images/{lesson['url_path']}.png" for lesson in layout.lessons()] + [LIVE_CLASS]
    for picture in pictures:
        size = (ROOT / picture).stat().st_size
        assert 5_000 < size <= MAX_PICTURE_BYTES, (picture, size)


def test_every_local_link_leads_to_a_file():
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        if not target.startswith(("http://", "https://")):
            assert (ROOT / target).exists(), target
    for doc in (ROOT / "docs").glob("*.md"):
        for target in re.findall(r"\]\(([^)#]+)\)", doc.read_text(encoding="utf-8")):
            if not target.startswith(("http://", "https://")):
                assert (doc.parent / target).exists(), (doc.name, target)


def test_the_readme_stays_short():
    assert len(README.splitlines()) <= 160  # 150, and the live class's steps
