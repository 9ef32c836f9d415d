"""Run a benchmark step in a child process and watch it: wall time and peak RSS of the whole
process tree (the child plus its extraction workers), sampled every 50 ms."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.corpus import REPO_ROOT

try:
    import psutil
except ImportError:  # pragma: no cover - psutil is a dev dependency
    psutil = None


def _tree_rss_proc(pid: int) -> int:
    """RSS (bytes) of pid and all its descendants, read from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            rss[int(d.name)] = int((d / "statm").read_text().split()[1]) * page
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(d.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def tree_rss(
    pid: int, per_proc: dict[int, int] | None = None, per_cpu: dict[int, float] | None = None
) -> int:
    """Sum of the RSS of pid and its descendants; ``per_proc`` collects each one's peak and
    ``per_cpu`` each one's latest CPU seconds (user + system). Extraction workers are
    children of a fork server, not of the poll process, so the poll process's
    RUSAGE_CHILDREN does not see them: their CPU is read here, while they live."""
    if psutil is None:
        return _tree_rss_proc(pid)
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        try:
            rss = int(p.memory_info().rss)
        except psutil.Error:
            continue
        total += rss
        if per_proc is not None:
            per_proc[p.pid] = max(per_proc.get(p.pid, 0), rss)
        if per_cpu is not None:
            try:
                t = p.cpu_times()
                per_cpu[p.pid] = max(per_cpu.get(p.pid, 0.0), t.user + t.system)
            except psutil.Error:
                pass
    return total


@dataclass
class ChildRun:
    result: dict[str, Any]
    wall: float
    peak_rss: int  # bytes, whole tree
    peak_procs: int = 0
    per_proc_peak: dict[int, int] = field(default_factory=dict)  # pid → peak RSS (bytes)
    stderr: str = ""
    samples: list[tuple[float, int]] = field(default_factory=list)


def run_child(
    module: str,
    args: list[str],
    *,
    env: dict[str, str] | None = None,
    timeout: float = 900,
    wrap: list[str] | None = None,
) -> ChildRun:
    """``python -m module args…`` whose last stdout line is a JSON object. ``wrap`` is a
    command prefix (a profiler); the RSS is then that of the wrapper's tree."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("PREFECT_API_URL", None)  # the poll runs directly, as the CLI does without it
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [*(wrap or []), sys.executable, "-m", module, *args],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=full_env,
    )
    peak = [0, 0]
    samples: list[tuple[float, int]] = []
    per_proc: dict[int, int] = {}
    per_cpu: dict[int, float] = {}
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            r = tree_rss(proc.pid, per_proc, per_cpu)
            samples.append((time.perf_counter() - t0, r))
            peak[0] = max(peak[0], r)
            if psutil is not None:
                try:
                    peak[1] = max(peak[1], 1 + len(psutil.Process(proc.pid).children(True)))
                except psutil.Error:
                    pass
            done.wait(0.05)

    th = threading.Thread(target=watch, daemon=True)
    th.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise RuntimeError(
            f"{module} timed out after {timeout}s (peak RSS of the tree so far "
            f"{peak[0] / 2**20:.0f} MB): {err.decode()[-2000:]}"
        ) from None
    finally:
        done.set()
        th.join()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{module} failed ({proc.returncode}): {err.decode()[-3000:]}")
    lines = [ln for ln in out.decode().splitlines() if ln.strip().startswith("{")]
    if not lines:
        raise RuntimeError(f"{module} printed no JSON: {err.decode()[-3000:]}")
    result = json.loads(lines[-1])
    if per_cpu:  # CPU of the whole tree (to the last 50 ms sample of each process)
        result["cpu_tree_s"] = round(sum(per_cpu.values()), 2)
    return ChildRun(result, wall, peak[0], peak[1], per_proc, err.decode(), samples)
