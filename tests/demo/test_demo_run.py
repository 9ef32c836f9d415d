"""`make demo` end to end: the real poll of the bundled site, twice, in a fresh directory.

The demo site defines exactly 45 articles, 36 of which the tagger flags; the second poll stores
nothing. The web address printed at the end is the one the settings give."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_make_demo_polls_45_articles_36_flagged_then_nothing(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BORDERWATCH_")}
    env["PYTHONPATH"] = str(ROOT)
    env["BORDERWATCH_WEB_PORT"] = "9123"
    env["BORDERWATCH_WEB_HOST"] = "127.0.0.2"
    env["BORDERWATCH_WORKERS"] = "2"  # the real process pool, as on a user's machine
    env["COLUMNS"] = "200"
    proc = subprocess.run(
        [sys.executable, "-m", "demo.run"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    first = re.search(r"first poll: .*?; (\d+) new articles \((\d+) flagged, (\d+) already", out)
    second = re.search(r"second poll: .*?; (\d+) new articles \((\d+) flagged, (\d+) already", out)
    assert first is not None and second is not None, out
    assert first.groups() == ("45", "36", "0")
    assert second.groups()[:2] == ("0", "0")
    assert "Flagged articles (36 of 45 stored)" in out
    assert "borderwatch web           # http://127.0.0.2:9123/" in out
    assert (tmp_path / "data" / "demo.db").is_file()
