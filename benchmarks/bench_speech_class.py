"""A class pressing record at once, through the class recipe: 40 browser sessions upload a clip to the Speech page
of ``deploy/serve_class.py`` (nginx in front of 2 Streamlit processes) while other sessions click on other pages.

    .venv/bin/python benchmarks/bench_speech_class.py                       # 40 clips, 10 other sessions, 2 processes
    .venv/bin/python benchmarks/bench_speech_class.py --clips 4 --others 2  # smoke

Each speech session is a browser tab without the drawing (``st_client.BrowserSession``) that also uploads a file
as Streamlit's frontend does: a ``FileURLsRequest`` over the websocket, an HTTP PUT of the file (with the XSRF
cookie and header) to the URL the server gave, then a rerun with the uploader's new value. Every clip is the
5-s sentence with its own faint noise, so no two share a cached transcription. All 40 press at the same instant;
the page runs one transcription at a time per process and shows the others their place in line.

Printed: clips served (the rerun ended with "Whisper heard" and no error) and lost; the seconds from pressing
to the transcript, median and the last; and the other pages' click latency (p50/p95) before the class pressed
record (the reference, same run) and while the clips were being transcribed. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import secrets
import statistics
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from types import SimpleNamespace

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bench_class_load as load  # noqa: E402  (the server launcher and the clicking students)
from st_client import BrowserSession  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402
from streamlit.web.server.starlette.starlette_app_utils import generate_xsrf_token_string  # noqa: E402

UPLOADER = "w.speech.upload"
OTHER_PAGES = ["query", "self-attention"]


class UploadingSession(BrowserSession):
    """A BrowserSession that can also upload a file into a ``st.file_uploader``."""

    session_id = ""
    transcript_seen = False

    def _handle(self, msg: ForwardMsg, seen, result):
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.session_id = msg.new_session.initialize.session_id or self.session_id
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            if element.WhichOneof("type") == "markdown" and "Whisper heard" in element.markdown.body:
                self.transcript_seen = True
        return super()._handle(msg, seen, result)

    async def upload(self, base_url: str, key: str, name: str, data: bytes):
        widget = self.find(key)
        back = BackMsg()
        back.file_urls_request.request_id = uuid.uuid4().hex
        back.file_urls_request.session_id = self.session_id
        back.file_urls_request.file_names.append(name)
        await self.ws.send(back.SerializeToString())
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await asyncio.wait_for(self.ws.recv(), self.timeout))
            if msg.WhichOneof("type") == "file_urls_response":
                break
        urls = msg.file_urls_response.file_urls[0]
        await asyncio.to_thread(self._put, base_url + urls.upload_url, name, data)
        state = WidgetState(id=widget.proto.id)
        info = state.file_uploader_state_value.uploaded_file_info.add()
        info.file_id, info.name, info.size = urls.file_id, name, len(data)
        info.file_urls.CopyFrom(urls)
        self.states[widget.proto.id] = state
        self.transcript_seen = False
        return await self._rerun(fragment_id=widget.fragment_id)

    def _put(self, url: str, name: str, data: bytes) -> None:
        token, boundary = generate_xsrf_token_string(), uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: audio/wav\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(url, data=body, method="PUT")
        request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        request.add_header("Cookie", f"{self.cookie}; _streamlit_xsrf={token}")  # the same backend, and XSRF
        request.add_header("X-Xsrftoken", token)
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            assert response.status in (200, 204), response.status


def clips(count: int) -> list[bytes]:
    """The 5-s sentence, each copy with its own faint noise (so each has its own hash), as 16-bit WAVs."""
    import soundfile

    from attention_core.speech.audio import decode_audio

    samples = decode_audio((HERE.parent / "assets" / "speech" / "attention.wav").read_bytes()).samples
    samples = np.concatenate([samples, np.zeros(5 * 16_000 - len(samples), np.float32)])
    out = []
    for seed in range(count):
        noisy = samples + 1e-3 * np.random.default_rng(seed).standard_normal(len(samples)).astype(np.float32)
        buffer = io.BytesIO()
        soundfile.write(buffer, noisy, 16_000, format="WAV", subtype="PCM_16")
        out.append(buffer.getvalue())
    return out


async def speech_student(number: int, url: str, data: bytes, go: asyncio.Event, timeout: float, results: list):
    session = UploadingSession(url, cookie=f"ae_backend={secrets.token_hex(8)}", timeout=timeout)
    await session.connect()
    try:
        opened = await session.open("speech")
        if opened.failed:
            results.append(dict(ok=False, seconds=float("nan"), why=f"open: {opened.status} {opened.exceptions}"))
            return
        await go.wait()
        pressed = time.perf_counter()
        rerun = await session.upload(url, UPLOADER, f"student{number}.wav", data)
        ok = not rerun.failed and session.transcript_seen and rerun.error_alerts == 0
        results.append(dict(ok=ok, seconds=time.perf_counter() - pressed, why=f"{rerun.status} {rerun.exceptions}"))
    finally:
        await session.close()


async def open_speech(url: str, timeout: float) -> None:
    """A session that opens the Speech page (its process loads the model and transcribes the bundled clip)."""
    session = BrowserSession(url, cookie=f"ae_backend={secrets.token_hex(8)}", timeout=timeout)
    await session.connect()
    try:
        await session.open("speech")
    finally:
        await session.close()


async def others(url: str, sessions: int, seconds: float, args) -> load.Tally:
    tally, until = load.Tally(), time.monotonic() + seconds
    await asyncio.gather(*(load.student(i, url, OTHER_PAGES, until, 4, args, tally) for i in range(sessions)))
    return tally


def latency(tally: load.Tally) -> str:
    values = [r.seconds for r in tally.clicks]
    return (
        f"{len(values)} clicks, p50 {1000 * load.percentile(values, 50):.0f} ms, "
        f"p95 {1000 * load.percentile(values, 95):.0f} ms, errors {len(tally.errors)}"
    )


async def run(url: str, args) -> None:
    other_args = SimpleNamespace(seed=0, think=args.think, timeout=args.timeout, clicks_per_page=4, heavy=False)
    # warm-up: every page once, and the Speech page in several sessions so both processes load the model
    await load.warm_up(url, OTHER_PAGES + ["speech"], args.timeout)
    await asyncio.gather(*(open_speech(url, args.timeout) for _ in range(6)))
    reference = await others(url, args.others, args.reference_seconds, other_args)
    print(f"other pages, {args.others} sessions, before the class records: {latency(reference)}")
    data, go, results = clips(args.clips), asyncio.Event(), []
    students = [
        asyncio.create_task(speech_student(i, url, data[i], go, args.timeout, results)) for i in range(args.clips)
    ]
    await asyncio.sleep(5)  # every speech session has opened the page
    clicking = asyncio.create_task(others(url, args.others, args.seconds, other_args))
    await asyncio.sleep(2)
    go.set()
    await asyncio.gather(*students)
    during = await clicking
    served = [r for r in results if r["ok"]]
    print(f"{args.clips} clips pressed at once through the class recipe ({args.procs} processes):")
    print(f"  served {len(served)} of {args.clips}, lost {args.clips - len(served)}")
    if served:
        times = sorted(r["seconds"] for r in served)
        print(f"  press → transcript: median {statistics.median(times):.1f} s, the last {times[-1]:.1f} s")
    for r in results:
        if not r["ok"]:
            print(f"  lost: {r['why'][:200]}")
    print(f"other pages, {args.others} sessions, while the clips were transcribed: {latency(during)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=40)
    parser.add_argument("--others", type=int, default=10)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the other sessions click under load")
    parser.add_argument("--reference-seconds", type=float, default=20.0)
    parser.add_argument("--think", type=float, default=2.0)
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    log = Path("/tmp") / f"bench_speech_class_{secrets.token_hex(4)}.log"
    server = load.start_server(args.procs, None, log)
    try:
        asyncio.run(run(server.url, args))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
