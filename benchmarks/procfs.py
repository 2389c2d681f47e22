"""The server's processes as /proc shows them: the benchmarks that start a real server read them here.

Linux only, like the benchmarks that use it (bench_class_load, bench_first_load).
"""

from __future__ import annotations

import os
from pathlib import Path


def cmdline(pid: int) -> bytes:
    """The process's arguments, NUL-separated (empty once it has ended)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:  # field 4: the parent's pid
                found.append(int(entry.name))
    return found


def streamlit_pids(pid: int) -> list[int]:
    """``pid`` if it runs Streamlit, else its children that do (deploy/serve_class.py's)."""
    if b"streamlit" in cmdline(pid):
        return [pid]
    return [child for child in children(pid) if b"streamlit" in cmdline(child)]


def cpu_seconds(pid: int) -> float:
    """CPU time the process has used so far, user + system (0 once it has ended)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    except OSError:
        return 0.0


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages, as /proc/loadavg prints them."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])
