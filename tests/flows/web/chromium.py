"""The browser tests' one Chromium and one live server: Debian's /usr/bin/chromium driven by
Playwright for Python (Playwright never downloads a browser here), and the app under uvicorn in
a thread on a free loopback port.

Install the browser with ``python scripts/ensure_chromium.py``. Without it the tests skip
locally and FAIL under CI=true. Screenshots go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("BORDERWATCH_CHROMIUM", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def need(what: str) -> None:
    msg = f"browser test needs {what} (run scripts/ensure_chromium.py)"
    if IN_CI:
        pytest.fail(msg)
    pytest.skip(msg)


@contextmanager
def launch() -> Iterator[Any]:
    """Headless Chromium (skips, or fails under CI, when it or playwright is missing)."""
    if not Path(CHROMIUM).exists():
        need(CHROMIUM)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need("the playwright package")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """``app`` under uvicorn on a free 127.0.0.1 port; yields its base URL."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not t.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    t.join(10)
