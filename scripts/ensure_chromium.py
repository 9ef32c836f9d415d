"""Make sure Debian's Chromium is installed at /usr/bin/chromium (for the browser tests).

Playwright drives this system browser through ``executable_path``; it never downloads a
browser build of its own. Prints what it did. Exit 0 when chromium is (now) there, 1 when it
could not be installed (not root, no apt-get, the install failed).

    python scripts/ensure_chromium.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CHROMIUM = Path(os.environ.get("BORDERWATCH_CHROMIUM", "/usr/bin/chromium"))


def _version() -> str:
    try:
        done = subprocess.run(
            [str(CHROMIUM), "--version"], capture_output=True, text=True, timeout=60
        )
        return (done.stdout or done.stderr).strip()
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"(version unknown: {exc})"


def _run(cmd: list[str]) -> int:
    print("+", " ".join(cmd), flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(cmd, env=env).returncode


def main() -> int:
    if CHROMIUM.exists():
        print(f"chromium already installed: {CHROMIUM} {_version()}")
        return 0
    apt = shutil.which("apt-get")
    if apt is None:
        print(f"{CHROMIUM} is missing and apt-get is not available", file=sys.stderr)
        return 1
    prefix: list[str] = []
    if os.geteuid() != 0:
        sudo = shutil.which("sudo")
        if sudo is None:
            print(f"{CHROMIUM} is missing; installing it needs root", file=sys.stderr)
            return 1
        prefix = [sudo, "-n"]
    print(f"{CHROMIUM} is missing: installing Debian's chromium package")
    rc = _run([*prefix, apt, "install", "-y", "--no-install-recommends", "chromium"])
    if rc != 0:
        # the package lists may be absent or stale on a fresh machine
        _run([*prefix, apt, "update"])
        rc = _run([*prefix, apt, "install", "-y", "--no-install-recommends", "chromium"])
    if rc != 0 or not CHROMIUM.exists():
        print(f"could not install chromium (apt-get exit {rc})", file=sys.stderr)
        return 1
    print(f"installed chromium: {CHROMIUM} {_version()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
