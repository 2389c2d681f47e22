"""The Speech page in a real browser: record through the real ``st.audio_input`` (Chromium's fake microphone
plays a bundled clip), see the transcript and one token's attention; a bad upload is refused and the clip stays."""

from __future__ import annotations

import pytest

from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.e2e import helpers
from tests.e2e.fixtures import REPO, VIEWPORT

pytestmark = pytest.mark.e2e

CLIP = REPO / "assets" / "speech" / "cat.wav"  # "The cat sat on the mat."
RECORD_SECONDS = 4


@pytest.fixture
def microphone_page(browser, app_url, shots, request):
    """A page in a second Chromium whose microphone is the bundled clip, played in a loop (allowed without asking)."""
    args = CHROMIUM_ARGS + [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={CLIP}",
    ]
    chromium = browser.browser_type.launch(executable_path=CHROMIUM, args=args)  # the session's playwright
    context = chromium.new_context(viewport=VIEWPORT, locale="en-US", permissions=["microphone"])
    context.set_default_timeout(60_000)
    context.add_init_script(helpers.INIT_SCRIPT)
    page = context.new_page()
    try:
        yield page
        if getattr(request.node, "e2e_failed", False):
            helpers.screenshot(page, shots, f"FAILED-{request.node.name}")
    finally:
        context.close()
        chromium.close()


def transcript(page) -> str:
    return page.locator('[data-testid="stMarkdown"]', has_text="Whisper heard:").first.inner_text()


def test_a_recording_is_heard_and_its_tokens_attention_drawn(microphone_page, app_url, shots, strings):
    page = microphone_page
    helpers.open_app(page, app_url + "/speech?view=token", min_charts=1, timeout=180_000)
    helpers.assert_no_error_box(page)
    assert "Attention lets the model focus" in transcript(page)
    recorder = page.locator('[data-testid="stAudioInput"]')
    recorder.get_by_role("button", name="Record").click()
    page.wait_for_timeout(RECORD_SECONDS * 1000)
    recorder.get_by_role("button", name="Stop recording").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stMarkdown\"]')]"
        ".some(e => e.innerText.includes('Whisper heard:') && /cat/i.test(e.innerText))",
        timeout=180_000,
    )
    helpers.wait_idle(page, timeout=120_000)
    helpers.wait_charts(page, min_count=1, timeout=60_000)
    heard = transcript(page)
    assert "mat" in heard.lower(), heard
    curve = helpers.chart(page, "chart.speech.token")["traces"][1]
    assert len(curve["y"]) >= RECORD_SECONDS * 40 and max(curve["y"]) > 0  # one weight per 20-ms frame
    assert "clip" not in helpers.url_params(page.url)  # the recording is not in the link
    helpers.assert_no_error_box(page)
    helpers.screenshot(page, shots, "speech-recorded")

    # a file that is not audio: one sentence, and the recording stays
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": "notes.wav", "mimeType": "audio/wav", "buffer": b"these are notes, not sound\n" * 10}]
    )
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stAlertContentError\"]') !== null", timeout=60_000
    )
    helpers.wait_idle(page)
    error = page.locator('[data-testid="stAlertContentError"]').first.inner_text()
    assert "not an audio file" in error and "previous clip stays" in error
    assert transcript(page) == heard
