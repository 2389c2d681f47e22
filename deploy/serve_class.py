"""Serve the app to a class: N `streamlit run app.py` processes behind one nginx, kept alive.

    python deploy/serve_class.py --procs 2 --port 8501        # or: make serve-class PROCS=2 PORT=8501

A Streamlit server runs every session's script under one Python GIL, so one
process uses one core however many students click.  This starts ``--procs``
Streamlit processes on fixed local ports (127.0.0.1 only) and nginx on
``--address:--port`` in front of them (deploy/nginx.conf.template): sticky
sessions by a cookie that names the process serving, the websocket upgrade,
and Streamlit's static frontend files sent by nginx itself, gzipped.
nginx runs in the foreground as our child with a config generated into a
temporary prefix directory: no system-wide nginx configuration is read or
changed.

It supervises, so one process that dies does not end the lesson:

- a process that exits (a crash, ``kill -9``, the kernel's OOM killer) is
  logged with the reason and started again on its port, after a back-off
  (0.5 s, doubling to 30 s while it keeps dying); nginx sends its students to
  a live process meanwhile, and it takes students again once Streamlit's
  ``/_stcore/health`` answers "ok";
- a process that does not answer its health check for UNRESPONSIVE_AFTER
  seconds gets no new requests, and after HUNG_AFTER seconds it is killed and
  started again: no student waits on a hung process longer than that;
- a process whose memory (RSS) creeps above ``--max-rss-mb`` is drained (no
  new browsers), restarted between reruns (when it has used no CPU for a
  moment, or after DRAIN_TIMEOUT), and its students move to a live process;
- it stops everything only on Ctrl-C / SIGTERM, or when a process cannot
  start at all (the first start, or MAX_FAILED_STARTS restarts in a row).

Each Streamlit process gets the class settings: no file watching, one torch
(and BLAS) thread (ATTENTION_EXPLORER_TORCH_THREADS, see docs/serving.md),
its own core where there are enough, a shared
``server.cookieSecret`` so the processes sign cookies alike, and the same
live-class rooms: ``--rooms URL`` (or ATTENTION_EXPLORER_ROOMS, or the
``rooms_url`` secret), else a SQLite file every process on this machine
shares, passed to every process as ATTENTION_EXPLORER_ROOMS after the
launcher opened it once (a bad setting stops the class at its start, not when a
teacher opens a room; docs/live-class-deploy.md).

Needs nginx (Debian: ``apt-get install nginx``).  Without it, ``--procs 1``
still works: one Streamlit process listening on ``--port`` directly (still
restarted when it dies, but its metrics endpoint is then public).
"""

from __future__ import annotations

import argparse
import ctypes
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
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
STREAMLIT_MAIN = Path(__file__).with_name("streamlit_main.py")
START_TIMEOUT = 120.0  # seconds until a started process must answer /_stcore/health
CHECK_EVERY = 0.5  # seconds between two rounds of health, memory and exit checks
HEALTH_TIMEOUT = 1.0  # one health check; a busy process answers in milliseconds (the check runs on its event loop)
UNRESPONSIVE_AFTER = 3.0  # seconds without an "ok": nginx sends it nothing new
HUNG_AFTER = 10.0  # seconds without an "ok": killed and restarted (the longest a student waits on a hung process)
BACKOFF_FIRST, BACKOFF_MAX = 0.5, 30.0  # seconds before a restart, doubling while a process keeps dying
STABLE_AFTER = 60.0  # seconds up after which a process that dies again starts from the first back-off
MAX_FAILED_STARTS = 5  # restarts in a row that never answered "ok": the process cannot start, stop the class
DRAIN_TIMEOUT = 60.0  # seconds a drained process may wait for a quiet moment before it is restarted anyway
IDLE_CPU = 0.02  # CPU seconds in one check interval below which no script is running (between reruns)
HARD_RSS_FACTOR = 1.5  # above this times the ceiling, restart at once instead of waiting for a quiet moment


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def streamlit_command(
    port: int, address: str = "127.0.0.1", python: str = sys.executable, script: str = "app.py"
) -> list[str]:
    """`streamlit run app.py` with the class settings (file watching off, headless).

    Through deploy/streamlit_main.py: Streamlit's command line, with a fix for a session that moved here
    from a process that died (its first click, often on a fragment's widget, runs the page).
    """
    return [
        python,
        str(STREAMLIT_MAIN),
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


def class_env(torch_threads: int, cookie_secret: str, rooms_url: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    if rooms_url:
        env["ATTENTION_EXPLORER_ROOMS"] = rooms_url  # every process opens the same rooms (classroom/open_store.py)
    env.setdefault("ATTENTION_EXPLORER_TORCH_THREADS", str(torch_threads))
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(name, str(torch_threads))  # numpy's BLAS too: one process, one core's worth of threads
    env["STREAMLIT_SERVER_COOKIE_SECRET"] = cookie_secret  # in the environment, not visible in `ps`
    return env


def class_rooms(url: str | None, procs: int) -> str:
    """The rooms' store every process will open, opened once here; raises ``ValueError`` with the reason.

    ``url``, else the app's own setting (classroom/open_store.py).  ``memory`` is one process's own rooms,
    so with several processes a student could land where the teacher's room is not: refused.
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from classroom.open_store import configured_url, open_store, shown

    url = configured_url(url)
    if url == "memory" and procs > 1:
        raise ValueError("the rooms in memory are seen by one process only; with --procs > 1 use SQLite or Redis")
    open_store(url).close()  # InputError (a ValueError): one sentence, without the address's password
    log(f"live-class rooms: {shown(url)}")
    return url


# ------------------------------------------------------------------ memory


def memory_limit_bytes() -> int:
    """What this machine or container may use: the cgroup's limit (docker --memory, Kubernetes), else RAM."""
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(path).read_text().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < 1 << 60:  # cgroup v1 says "no limit" with a huge number
            return int(text)
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def default_max_rss_mb(procs: int, limit_bytes: int | None = None) -> int:
    """The RSS ceiling per process: 3 GB, or less where 3/4 of the memory shared by the processes is less.

    A fresh process holds ~0.6 GB, a class's heavy settings 1.2–2 GB: 24 GB and 2 processes give 3000 MB;
    Streamlit Cloud's ~2.7 GB (one process) gives ~2000 MB; ``docker run --memory 4g`` with 2 gives 1500 MB.
    The other quarter is for nginx, the page cache and a process restarting beside the others.
    """
    limit = memory_limit_bytes() if limit_bytes is None else limit_bytes
    return int(min(3000, 0.75 * limit / 1e6 / max(1, procs)))


def rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    except OSError:
        return 0.0


# ------------------------------------------------------------------ nginx


@dataclass
class Route:
    """What nginx knows of one backend: its port and whether it takes browsers."""

    port: int
    takes_new: bool  # up: new browsers may land here, and browsers of a dead process fail over to it
    serves_own: bool  # up or draining: the browsers whose cookie names it still reach it


def nginx_config(prefix: Path, address: str, port: int, routes: list[Route], static: str) -> str:
    """The nginx.conf for these backends: an upstream for new browsers, one per process for its own."""

    def server(p: int, flags: str = "") -> str:
        return f"        server 127.0.0.1:{p}{flags} max_fails=1 fail_timeout=3s;"

    blocks = ["    upstream ae_new {", "        least_conn;"]
    blocks += [server(r.port, "" if r.takes_new else " down") for r in routes]
    blocks.append("    }")
    for i, own in enumerate(routes):
        blocks.append(f"    upstream ae_b{i} {{")
        blocks.append(server(own.port, "" if own.serves_own else " down"))
        blocks += [server(r.port, " backup") for j, r in enumerate(routes) if j != i and r.takes_new]
        blocks.append("    }")
    cookie_routes = "\n".join(f"        b{i} ae_b{i};" for i in range(len(routes)))
    # $upstream_addr lists every server tried ("a, b" after a failover): the last one answered
    served = "\n".join(
        f'        "~127\\.0\\.0\\.1:{r.port}$" "ae_backend=b{i}; Path=/; HttpOnly; SameSite=Lax";'
        for i, r in enumerate(routes)
    )
    return string.Template(TEMPLATE.read_text()).substitute(
        prefix=prefix,
        address=address,
        port=port,
        upstreams="\n".join(blocks),
        cookie_routes=cookie_routes,
        served_cookies=served,
        static=static,
    )


def streamlit_static_dir(python: str) -> str:
    """The frontend files of the streamlit that ``python`` runs, which nginx serves itself.

    Found without importing streamlit (0.4 s): the package's folder, then ``static`` as in
    ``streamlit.file_util.get_static_dir``.
    """
    code = "import importlib.util as u; print(u.find_spec('streamlit').submodule_search_locations[0])"
    package = subprocess.run([python, "-c", code], check=True, capture_output=True, text=True).stdout.strip()
    return str(Path(package) / "static")


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
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


def exit_reason(returncode: int) -> str:
    """Why a process ended, in words an admin can act on."""
    if returncode >= 0:
        return f"exited with code {returncode} (see its log above)"
    name = signal.Signals(-returncode).name
    if name == "SIGKILL":
        return "was killed by SIGKILL (kill -9, or the kernel's out-of-memory killer: see `dmesg`)"
    if name in ("SIGSEGV", "SIGBUS", "SIGABRT", "SIGILL", "SIGFPE"):
        return f"crashed with {name} (a fault in a native library)"
    return f"was stopped by {name}"


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the launcher dies (even by kill -9), so no process is left behind."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def log(message: str) -> None:
    print(f"serve_class {time.strftime('%H:%M:%S')}: {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ the supervisor


@dataclass
class Backend:
    """One Streamlit process and what the supervisor knows of it."""

    index: int
    port: int
    cores: set[int] | None = None  # the CPU cores it may use (None: any)
    proc: subprocess.Popen | None = None
    state: str = "down"  # "starting", "up", "unresponsive", "draining", "down"
    started: float = 0.0
    last_ok: float = 0.0
    up_since: float = 0.0
    restart_at: float = 0.0  # while down: when to start it again
    backoff: float = BACKOFF_FIRST
    failed_starts: int = 0
    drain_since: float = 0.0
    cpu: float | None = None  # CPU seconds at the last check

    @property
    def health_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/_stcore/health"

    def route(self) -> Route:
        return Route(self.port, takes_new=self.state == "up", serves_own=self.state in ("up", "draining"))


class Supervisor:
    """Starts the processes and nginx, and keeps them serving until Ctrl-C."""

    def __init__(self, args, env: dict[str, str], prefix: Path):
        self.args = args
        self.env = env
        self.prefix = prefix
        self.nginx_path = None if args.procs == 1 and args.no_nginx else (shutil.which("nginx") or "/usr/sbin/nginx")
        self.proxy = self.nginx_path is not None
        ports = [free_port() for _ in range(args.procs)] if self.proxy else [args.port]
        cores = sorted(os.sched_getaffinity(0))
        # pinning is opt-in: on a machine that also runs other work (a teacher's laptop, a shared lab
        # server) a pinned process cannot move to an idle core, and the class's p95 doubled
        # (docs/performance.md, 2026-12-07); on a server that runs only the class, --pin keeps one busy
        # process off the other's core
        pin = args.pin and len(cores) >= args.procs > 1
        self.backends = [Backend(i, port, {cores[i]} if pin else None) for i, port in enumerate(ports)]
        self.nginx: subprocess.Popen | None = None
        self.static = streamlit_static_dir(args.python) if self.proxy else ""
        self.routes: list[Route] = []

    # -------------------------------------------------------------- processes

    def start(self, b: Backend) -> None:
        address = "127.0.0.1" if self.proxy else self.args.address
        command = streamlit_command(b.port, address, self.args.python, self.args.script)
        b.proc = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True, preexec_fn=_die_with_parent)
        if b.cores:
            try:
                os.sched_setaffinity(b.proc.pid, b.cores)  # one core each: a busy process cannot starve the others
            except OSError:
                pass
        b.state, b.started, b.last_ok, b.cpu = "starting", time.monotonic(), 0.0, None

    def terminate(self, b: Backend, hard: bool = False) -> None:
        if b.proc is not None and b.proc.poll() is None:
            if hard:
                b.proc.kill()
            else:
                b.proc.terminate()
                try:
                    b.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    b.proc.kill()
            b.proc.wait()

    def start_nginx(self) -> None:
        self.write_nginx_config()
        conf = self.prefix / "nginx.conf"
        self.nginx = subprocess.Popen(
            [self.nginx_path, "-p", str(self.prefix), "-c", str(conf), "-e", str(self.prefix / "error.log")],
            start_new_session=True,  # Ctrl-C reaches the launcher only, which stops the children in order
            preexec_fn=_die_with_parent,
        )

    def write_nginx_config(self) -> bool:
        """Write the config for the backends' states; True when it changed."""
        routes = [b.route() for b in self.backends]
        if routes == self.routes:
            return False
        self.routes = routes
        text = nginx_config(self.prefix, self.args.address, self.args.port, routes, self.static)
        (self.prefix / "nginx.conf").write_text(text)
        return True

    def update_routes(self) -> None:
        """nginx follows the backends' states: a reload (SIGHUP) keeps the open websockets on their process."""
        if self.proxy and self.write_nginx_config() and self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGHUP)
            log("nginx: " + ", ".join(f"b{b.index} {b.state}" for b in self.backends))

    # -------------------------------------------------------------- the first start

    def start_all(self) -> None:
        for b in self.backends:
            self.start(b)
        deadline = time.monotonic() + START_TIMEOUT
        pending = list(self.backends)
        while pending:
            for b in pending:
                if b.proc.poll() is not None:
                    raise RuntimeError(
                        f"process b{b.index} (port {b.port}) cannot start: it {exit_reason(b.proc.returncode)}"
                    )
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"process(es) {[f'b{b.index}' for b in pending]} did not answer 'ok' within {START_TIMEOUT:.0f} s"
                )
            for b in [b for b in pending if healthy(b.health_url)]:
                b.state, b.last_ok, b.up_since = "up", time.monotonic(), time.monotonic()
                pending.remove(b)
            if pending:
                time.sleep(0.25)
        if self.proxy:
            self.start_nginx()
            deadline = time.monotonic() + 15
            while not healthy(f"http://127.0.0.1:{self.args.port}/_stcore/health"):
                if self.nginx.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start on {self.args.address}:{self.args.port} (see above)")
                time.sleep(0.25)

    # -------------------------------------------------------------- one round of checks

    def check(self, b: Backend, now: float) -> None:
        if b.state == "down":
            if now >= b.restart_at:
                log(f"starting b{b.index} again on port {b.port}")
                self.start(b)
            return
        code = b.proc.poll()
        if code is not None:
            self.died(b, now, f"process b{b.index} (port {b.port}, pid {b.proc.pid}) {exit_reason(code)}")
            return
        ok = healthy(b.health_url, timeout=HEALTH_TIMEOUT)
        if ok:
            b.last_ok = now
        if b.state == "starting":
            if ok:
                b.state, b.up_since, b.failed_starts = "up", now, 0
                log(f"b{b.index} answers again: it takes students")
            elif now - b.started > START_TIMEOUT:
                self.terminate(b, hard=True)
                self.died(b, now, f"process b{b.index} did not answer 'ok' within {START_TIMEOUT:.0f} s of its start")
            return
        if b.state == "up" and b.backoff > BACKOFF_FIRST and now - b.up_since > STABLE_AFTER:
            b.backoff = BACKOFF_FIRST
        silent = now - b.last_ok
        if silent > HUNG_AFTER:
            self.terminate(b, hard=True)
            self.died(b, now, f"process b{b.index} (pid {b.proc.pid}) answered nothing for {HUNG_AFTER:.0f} s: killed")
            return
        if b.state == "up" and silent > UNRESPONSIVE_AFTER:
            b.state = "unresponsive"
            log(f"b{b.index} has not answered for {silent:.0f} s: no new requests go to it")
        elif b.state == "unresponsive" and ok:
            b.state = "up"
            log(f"b{b.index} answers again")
        self.check_memory(b, now)

    def check_memory(self, b: Backend, now: float) -> None:
        rss = rss_bytes(b.proc.pid)
        ceiling = self.args.max_rss_mb * 1e6
        cpu, before = cpu_seconds(b.proc.pid), b.cpu
        b.cpu = cpu
        quiet = before is not None and cpu - before < IDLE_CPU  # no script ran since the last check
        if b.state == "up" and rss > ceiling:
            b.state, b.drain_since = "draining", now
            log(
                f"b{b.index} holds {rss / 1e6:.0f} MB, above the ceiling {ceiling / 1e6:.0f} MB: drained, "
                "restarted at the next quiet moment"
            )
        elif b.state == "draining" and (
            quiet or now - b.drain_since > DRAIN_TIMEOUT or rss > HARD_RSS_FACTOR * ceiling
        ):
            log(f"restarting b{b.index} ({rss / 1e6:.0f} MB); its students move to a live process")
            self.terminate(b)
            b.state, b.restart_at = "down", now  # a planned restart: no back-off

    def died(self, b: Backend, now: float, why: str) -> None:
        was_starting = b.state == "starting"
        b.state = "down"
        b.failed_starts = b.failed_starts + 1 if was_starting else 0
        if b.failed_starts >= MAX_FAILED_STARTS:
            raise RuntimeError(f"{why}; it failed to start {MAX_FAILED_STARTS} times in a row: it cannot start")
        b.restart_at = now + b.backoff
        log(f"{why}; restarting it in {b.backoff:.1f} s, its students move to a live process")
        b.backoff = min(BACKOFF_MAX, b.backoff * 2)

    def check_nginx(self) -> None:
        if self.proxy and self.nginx.poll() is not None:
            log(f"nginx {exit_reason(self.nginx.returncode)}; starting it again")
            time.sleep(1)
            self.routes = []
            self.start_nginx()

    def run(self) -> None:
        while True:
            now = time.monotonic()
            for b in self.backends:
                try:
                    self.check(b, now)
                except (RuntimeError, KeyboardInterrupt):
                    raise
                except Exception as exc:  # noqa: BLE001 - a slip of the supervisor must not end the class
                    log(f"checking b{b.index} failed: {type(exc).__name__}: {exc}")
            self.update_routes()
            self.check_nginx()
            time.sleep(CHECK_EVERY)

    def children(self) -> list[subprocess.Popen]:
        return [b.proc for b in self.backends if b.proc is not None] + ([self.nginx] if self.nginx else [])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--procs", type=int, default=2, help="Streamlit processes (about one per core)")
    parser.add_argument("--port", type=int, default=8501, help="the port students open")
    parser.add_argument("--address", default="0.0.0.0", help="where nginx listens (0.0.0.0: the whole network)")
    parser.add_argument("--torch-threads", type=int, default=1, help="torch threads per process")
    parser.add_argument(
        "--max-rss-mb",
        type=int,
        default=None,
        help="memory ceiling per process, MB (default: 3000, or 3/4 of the machine's or container's memory "
        "shared by the processes where that is less); above it a process is drained and restarted",
    )
    parser.add_argument(
        "--pin",
        action="store_true",
        help="hold each process to a core of its own (a machine that serves only the class)",
    )
    parser.add_argument("--no-pin", action="store_true", help="every process may use every core (the default)")
    parser.add_argument("--no-nginx", action="store_true", help="with --procs 1: Streamlit alone on --port")
    parser.add_argument(
        "--rooms",
        default=None,
        help="where the live class's rooms live: sqlite:///path/rooms.sqlite3 or redis://host:6379/0 (default: "
        "$ATTENTION_EXPLORER_ROOMS, else a SQLite file every process on this machine shares)",
    )
    parser.add_argument("--python", default=sys.executable, help="the interpreter that has streamlit")
    parser.add_argument("--script", default="app.py", help="the app (benchmarks compare a one-line app)")
    args = parser.parse_args(argv)
    if args.procs < 1:
        parser.error("--procs must be at least 1")
    if args.max_rss_mb is None:
        args.max_rss_mb = default_max_rss_mb(args.procs)
    nginx_found = shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")
    if not nginx_found:
        if args.procs > 1:
            log("nginx not found; install it (Debian: apt-get install nginx) or use --procs 1")
            return 2
        args.no_nginx = True

    try:
        rooms = class_rooms(args.rooms, args.procs)
    except ValueError as exc:
        log(f"the live class's rooms: {exc}")
        return 2
    env = class_env(args.torch_threads, secrets.token_hex(32), rooms)
    prefix = Path(tempfile.mkdtemp(prefix="attention-explorer-nginx-"))
    prefix.chmod(0o755)  # nginx started as root runs its workers as another user; they use the temp dirs

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    supervisor = Supervisor(args, env, prefix)
    try:
        supervisor.start_all()
        ports = [b.port for b in supervisor.backends]
        if supervisor.proxy:
            log(
                f"nginx on {args.address}:{args.port} → streamlit on 127.0.0.1:{ports} "
                f"(pids {[b.proc.pid for b in supervisor.backends]}; metrics only there); "
                f"memory ceiling {args.max_rss_mb} MB a process; Ctrl-C stops all"
            )
        else:
            log(f"streamlit alone on {args.address}:{args.port} (no nginx: its /_stcore/metrics is public)")
        host = "localhost" if args.address in ("0.0.0.0", "127.0.0.1") else args.address
        print(f"serve_class: ready on http://{host}:{args.port}", flush=True)
        supervisor.run()
    except KeyboardInterrupt:
        return 0
    except RuntimeError as exc:
        log(f"{exc}; stopping the class")
        return 1
    finally:
        stop(supervisor.children())
        shutil.rmtree(prefix, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
