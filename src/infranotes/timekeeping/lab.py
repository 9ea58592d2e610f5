"""Container time-zone setups, as a root directory for the doctor and run for real.

A :class:`Setup` describes what a container image has: ``/etc/localtime`` (a symlink, a copy,
junk, or nothing), ``/etc/timezone``, tzdata or not, and the process environment.
:func:`build_root` makes that root directory for :func:`~infranotes.timekeeping.resolve.diagnose`;
:func:`run_live` reproduces it in a private mount namespace (an overlay over ``/etc``, an
empty tmpfs over ``/usr/share/zoneinfo`` when the image has no tzdata) and asks glibc's
``date`` and a musl-built probe, so the prediction and the C libraries can be compared.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from infranotes.lab import available, build_probe, run

HOST_ZONEINFO = Path("/usr/share/zoneinfo")
# The live container cases: a mount namespace, glibc's date and a musl probe (root too).
REQUIRES = ("unshare", "mount", "date", "musl-gcc")
EPOCHS = (1705320000, 1721044800)  # 2024-01-15T12:00:00Z and 2024-07-15T12:00:00Z


@dataclass(frozen=True)
class Setup:
    name: str
    localtime: str = (
        "symlink:/usr/share/zoneinfo/Etc/UTC"  # symlink:T | copy:ZONE | content:X | missing
    )
    timezone: str | None = None  # text of /etc/timezone, None: no such file
    env: dict[str, str] = field(default_factory=dict)  # TZ, TZDIR; TZ absent = unset
    tzdata: bool = True  # the image has /usr/share/zoneinfo


def _copy_zoneinfo(dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copytree(HOST_ZONEINFO, dest, symlinks=True, copy_function=os.link)
    except OSError:
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(HOST_ZONEINFO, dest, symlinks=True)


def build_root(setup: Setup, base: Path) -> Path:
    """A directory that looks like the container's filesystem, for the doctor."""
    root = base / setup.name
    (root / "etc").mkdir(parents=True, exist_ok=True)
    if setup.tzdata:
        _copy_zoneinfo(root / "usr/share/zoneinfo")
    kind, _, arg = setup.localtime.partition(":")
    lt = root / "etc/localtime"
    if kind == "symlink":
        lt.symlink_to(arg)
    elif kind == "copy":
        shutil.copyfile(HOST_ZONEINFO / arg, lt)
    elif kind == "content":
        lt.write_text(arg)
    elif kind != "missing":
        raise ValueError(f"unknown localtime setup {setup.localtime!r}")
    if setup.timezone is not None:
        (root / "etc/timezone").write_text(setup.timezone)
    return root


SCRIPT = """
set -e
mount -t tmpfs none "$T"  # $T: made and removed by run_live, private to this mount ns
mkdir "$T/up" "$T/wk"
for f in localtime timezone; do
  if [ -L "$ROOT/etc/$f" ] || [ -e "$ROOT/etc/$f" ]; then cp -a "$ROOT/etc/$f" "$T/up/$f";
  else mknod "$T/up/$f" c 0 0; fi
done
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$T/up,workdir=$T/wk" /etc
if [ "$TZDATA" = 0 ]; then mount -t tmpfs none /usr/share/zoneinfo; fi
for e in $EPOCHS; do env -i PATH=/usr/bin:/bin $ENVS date -d "@$e" '+%Z %z'; done
env -i $ENVS "$MUSL" $EPOCHS
"""


def _offset(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    return sign * (int(text[1:3]) * 3600 + int(text[3:5]) * 60)


def run_live(setup: Setup, root: Path) -> dict[str, list[tuple[str, int]]]:
    """glibc's ``date`` and musl's localtime() in a mount namespace set up like ``root``."""
    available(*REQUIRES)
    musl = build_probe("tzprobe", "musl")
    for k, v in setup.env.items():
        if any(c.isspace() or c in "*?[" for c in k + v):
            raise ValueError(f"{k}={v!r}: the live run passes values unquoted; no spaces or globs")
    envs = " ".join(f"{k}={v}" for k, v in sorted(setup.env.items()))
    env = {
        "ROOT": str(root),
        "TZDATA": "1" if setup.tzdata else "0",
        "ENVS": envs,
        "EPOCHS": " ".join(map(str, EPOCHS)),
        "MUSL": str(musl),
        "PATH": os.environ["PATH"],
    }
    with tempfile.TemporaryDirectory(prefix="tzlab-") as tmp:  # the tmpfs goes with the ns
        env["T"] = tmp
        script = "".join(f"{k}={shlex.quote(v)}\n" for k, v in env.items()) + SCRIPT
        proc = run(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
            timeout=30,
            check=True,
        )
    lines = proc.stdout.strip().splitlines()
    glibc = []
    for line in lines[: len(EPOCHS)]:
        abbr, _, off = line.rpartition(" ")
        glibc.append((abbr, _offset(off)))
    probe = json.loads(lines[len(EPOCHS)])
    musl_out = [(a["zone"], a["gmtoff"]) for a in probe["at"]]
    return {"glibc": glibc, "musl": musl_out}
