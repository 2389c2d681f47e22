"""Serve the app to a class: N `streamlit run app.py` processes behind one nginx.

    python deploy/serve_class.py --procs 2 --port 8501        # or: make serve-class PROCS=2 PORT=8501

A Streamlit server runs every session's script under one Python GIL, so one
process uses one core however many students click.  This starts ``--procs``
Streamlit processes on free local ports (127.0.0.1 only) and nginx on
``--address:--port`` in front of them, with sticky sessions (a cookie), the
websocket upgrade, and Streamlit's static frontend files sent by nginx itself,
gzipped (deploy/nginx.conf.template).
nginx runs in the foreground as our child with a config generated into a
temporary prefix directory: no system-wide nginx configuration is read or
changed.  Ctrl-C (or SIGTERM) stops nginx and every Streamlit process.

Each Streamlit process gets the class settings: no file watching, one torch
thread (ATTENTION_EXPLORER_TORCH_THREADS, see README "Serving a class"), and a
shared ``server.cookieSecret`` so the processes sign cookies alike.

Needs nginx (Debian: ``apt-get install nginx``).  Without it, ``--procs 1``
still works: one Streamlit process listening on ``--port`` directly.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
START_TIMEOUT = 120.0  # seconds until every process answers /_stcore/health


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def streamlit_command(
    port: int, address: str = "127.0.0.1", python: str = sys.executable, script: str = "app.py"
) -> list[str]:
    """`streamlit run app.py` with the class settings (file watching off, headless)."""
    return [
        python,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",  # no inotify or polling work while a class clicks
        "--browser.gatherUsageStats",
        "false",
    ]


def class_env(torch_threads: int, cookie_secret: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("ATTENTION_EXPLORER_TORCH_THREADS", str(torch_threads))
    env["STREAMLIT_SERVER_COOKIE_SECRET"] = cookie_secret  # in the environment, not visible in `ps`
    return env


def nginx_config(prefix: Path, address: str, port: int, backend_ports: list[int], static: str) -> str:
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in backend_ports)
    return string.Template(TEMPLATE.read_text()).substitute(
        prefix=prefix, address=address, port=port, servers=servers, static=static
    )


def streamlit_static_dir(python: str) -> str:
    """The frontend files of the streamlit that ``python`` runs, which nginx serves itself.

    Found without importing streamlit (0.4 s): the package's folder, then ``static`` as in
    ``streamlit.file_util.get_static_dir``.
    """
    code = "import importlib.util as u; print(u.find_spec('streamlit').submodule_search_locations[0])"
    package = subprocess.run([python, "-c", code], check=True, capture_output=True, text=True).stdout.strip()
    return str(Path(package) / "static")


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except OSError:
        return False


def wait_healthy(urls: list[str], procs: list[subprocess.Popen], timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    pending = list(urls)
    while pending:
        if any(p.poll() is not None for p in procs):
            raise RuntimeError("a server process exited during start-up (see its log above)")
        if time.monotonic() > deadline:
            raise RuntimeError(f"no 'ok' from {pending} within {timeout:.0f} s")
        pending = [u for u in pending if not healthy(u)]
        if pending:
            time.sleep(0.25)


def stop(procs: list[subprocess.Popen]) -> None:
    """SIGTERM every child (nginx last started, first stopped), then SIGKILL what is left."""
    for p in reversed(procs):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for p in reversed(procs):
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--procs", type=int, default=2, help="Streamlit processes (about one per core)")
    parser.add_argument("--port", type=int, default=8501, help="the port students open")
    parser.add_argument("--address", default="0.0.0.0", help="where nginx listens (0.0.0.0: the whole network)")
    parser.add_argument("--torch-threads", type=int, default=1, help="torch threads per process")
    parser.add_argument("--python", default=sys.executable, help="the interpreter that has streamlit")
    parser.add_argument("--script", default="app.py", help="the app (benchmarks compare a one-line app)")
    args = parser.parse_args(argv)
    if args.procs < 1:
        parser.error("--procs must be at least 1")

    env = class_env(args.torch_threads, secrets.token_hex(32))
    procs: list[subprocess.Popen] = []
    prefix = Path(tempfile.mkdtemp(prefix="attention-explorer-nginx-"))
    prefix.chmod(0o755)  # nginx started as root runs its workers as another user; they use the temp dirs

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        if args.procs == 1:  # no proxy needed: Streamlit itself listens on the class port
            procs.append(
                subprocess.Popen(
                    streamlit_command(args.port, args.address, args.python, args.script), cwd=ROOT, env=env
                )
            )
            wait_healthy([f"http://127.0.0.1:{args.port}/_stcore/health"], procs)
        else:
            nginx = shutil.which("nginx") or "/usr/sbin/nginx"
            if not os.path.exists(nginx):
                print(
                    "serve_class: nginx not found; install it (Debian: apt-get install nginx) or use --procs 1",
                    file=sys.stderr,
                )
                return 2
            ports = [free_port() for _ in range(args.procs)]
            for port in ports:
                procs.append(
                    subprocess.Popen(streamlit_command(port, python=args.python, script=args.script), cwd=ROOT, env=env)
                )
            wait_healthy([f"http://127.0.0.1:{p}/_stcore/health" for p in ports], procs)
            conf = prefix / "nginx.conf"
            conf.write_text(nginx_config(prefix, args.address, args.port, ports, streamlit_static_dir(args.python)))
            procs.append(subprocess.Popen([nginx, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]))
            wait_healthy([f"http://127.0.0.1:{args.port}/_stcore/health"], procs, timeout=15)
            print(
                f"serve_class: nginx on {args.address}:{args.port} → streamlit on 127.0.0.1:{ports} "
                f"(pids {[p.pid for p in procs[:-1]]}); Ctrl-C stops all",
                flush=True,
            )
        host = "localhost" if args.address in ("0.0.0.0", "127.0.0.1") else args.address
        print(f"serve_class: ready on http://{host}:{args.port}", flush=True)
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        print("serve_class: a process exited; stopping the others", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop(procs)
        shutil.rmtree(prefix, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
