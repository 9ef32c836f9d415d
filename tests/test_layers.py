"""The layers, enforced: config <- extractors <- storage <- flows (import-linter contracts in
pyproject.toml, [tool.importlinter]). `make lint` runs them too; here `make test` fails when a
module imports from a layer above its own, or config/extractors import the database, Prefect or
the web stack, or storage imports Prefect or the web stack."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _lint_imports(cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "lint-imports"
    cmd = str(exe) if exe.exists() else shutil.which("lint-imports")
    if cmd is None:
        pytest.fail("lint-imports is not installed: pip install -e '.[dev]'")
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run(
        [cmd, "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_layer_contracts_hold() -> None:
    res = _lint_imports(ROOT, ROOT)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "0 broken" in res.stdout


def test_the_contracts_catch_an_upward_import(tmp_path: Path) -> None:
    """The same contracts over a four-package toy tree where config imports extractors and
    extractors import sqlalchemy: both contracts break (so the check above is not vacuous)."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for pkg in ("config", "extractors", "storage", "flows"):
        (tmp_path / pkg).mkdir()
        (tmp_path / pkg / "__init__.py").write_text("")
    (tmp_path / "extractors" / "models.py").write_text("import sqlalchemy\nX = 1\n")
    (tmp_path / "config" / "settings.py").write_text("from extractors.models import X\n")
    (tmp_path / "storage" / "db.py").write_text("from extractors.models import X\n")
    (tmp_path / "flows" / "run.py").write_text("import storage.db\n")
    res = _lint_imports(tmp_path, tmp_path)
    out = res.stdout + res.stderr
    assert res.returncode != 0, out
    assert "layers: config <- extractors <- storage <- flows BROKEN" in out
    assert "config and extractors import no sqlalchemy, alembic, prefect, fastapi BROKEN" in out
    assert "storage imports no prefect, fastapi KEPT" in out
    assert "config.settings -> extractors.models" in out
