"""`pip install .` into a clean virtual environment gives a CLI on which every verb runs.

pyproject.toml must declare every runtime dependency: the package is copied out of the
tree (so nothing of the checkout or its .venv is importable), installed by pip alone, and
each verb's --help and a few verbs that need no root or servers are run from a neutral
directory.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


def _choices(help_text: str) -> list[str]:
    """The sub-commands argparse lists as ``{a,b,c}`` in a usage line."""
    m = re.search(r"\{([a-z0-9,\-]+)\}", help_text)
    assert m, help_text
    return m.group(1).split(",")


@pytest.mark.slow
def test_pip_install_gives_every_verb(tmp_path: Path) -> None:
    src = tmp_path / "src-copy"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(
        ROOT / "src", src / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__")
    )
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, clear=True)
    py = env_dir / "bin" / "python"
    pip = subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(src)],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert pip.returncode == 0, pip.stderr[-3000:]
    exe = env_dir / "bin" / "infranotes"
    work = tmp_path / "work"
    work.mkdir()
    env = {"PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(exe), *argv], capture_output=True, text=True, cwd=work, env=env, timeout=120
        )

    top = run("--help")
    assert top.returncode == 0, top.stderr
    verbs = 0
    for topic in _choices(top.stdout):
        t = run(topic, "--help")
        assert t.returncode == 0, t.stderr
        for verb in _choices(t.stdout):
            v = run(topic, verb, "--help")
            assert v.returncode == 0 and v.stdout.startswith("usage:"), (topic, verb, v.stderr)
            verbs += 1
    assert verbs >= 20

    # verbs that import each heavy dependency: YAML, zoneinfo, SQLAlchemy+alembic, dnspython
    db = f"sqlite:///{work / 'h.db'}"
    (work / "resolv.conf").write_text(
        "nameserver 10.96.0.10\nsearch a.svc b.svc\noptions ndots:5\n"
    )
    runs = [
        ("dns", "records", "--cluster-domain", "cluster.local", str(DATA / "spec-examples.yaml")),
        ("dns", "search", "--resolv-conf", "resolv.conf", "api.example.com", "--json"),
        ("cron", "next", "0 0 13 * 5", "--tz", "Europe/Berlin", "-n", "2", "--json"),
        ("migrate", "upgrade", "--url", db, "--to", "1.2.0", "--apply", "--no-backup"),
        ("migrate", "sql", "--dialect", "postgresql", "--from", "1.4.0"),
        ("reliability", "nines", "--availability", "0.999", "--json"),
        ("tz", "inspect", "/usr/share/zoneinfo/UTC"),
    ]
    for argv in runs:
        r = run(*argv)
        assert r.returncode == 0, (argv, r.stderr[-2000:])
    status = run("migrate", "status", "--url", db, "--json")
    assert status.returncode == 1 and json.loads(status.stdout)["current"] == "1.2.0"
    # and the imports resolve to the installed copy, not the checkout
    where = subprocess.run(
        [str(py), "-c", "import infranotes; print(infranotes.__file__)"],
        capture_output=True, text=True, cwd=work, env=env, check=True,
    ).stdout  # fmt: skip
    assert str(env_dir) in where and sys.prefix not in where
