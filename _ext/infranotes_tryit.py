"""The "Try it on your own input" panels: what the site needs to run the CLI in the browser.

A Sphinx extension (``_config.yml``: ``local_extensions`` and ``extensions``) rather than a
script in the Makefile, so that every way of building the book — ``make book``, the site
tests' ``jupyter-book build`` — produces the same self-contained site. It does three things:

* pages whose body holds a panel (``<div class="infranotes-tryit" ...>``) get
  ``_static/tryit/tryit.js`` and ``tryit.css``; other pages get nothing;
* the Pyodide files the panels use are copied from ``node_modules/pyodide`` (the version
  pinned in ``package-lock.json``; ``make book`` runs ``npm ci`` when it is stale) into
  ``_static/tryit/pyodide/``: the loader, the WebAssembly module, the standard library and
  the lock file — not the source maps, type declarations or the console page;
* wheels installed in the browser with ``pyodide.unpackArchive`` (no micropip, no network):
  the project's own wheel, built from ``src/`` by its build backend, and pure
  ``py3-none-any`` wheels of what the exposed verbs import that Pyodide's core lacks
  (``tzdata`` for ``zoneinfo``; ``dnspython``, which ``infranotes.dns`` imports; PyYAML's
  pure-Python half, without the libyaml extension),
  made from the distributions installed in the build's environment (the versions pinned in
  ``requirements.txt``). ``_static/tryit/manifest.json`` lists them with their sizes;
* every file the loader would ``fetch()`` (the WebAssembly module, the standard library, the
  lock file, the manifest, ``runner.py``, the wheels) also as a script,
  ``_static/tryit/data/<its path>.js``, that puts the file's bytes (gzipped when that pays),
  in base64, into
  ``window.__infranotesTryitData``. A page opened from ``file://`` cannot ``fetch()`` its
  own files in Chromium, but it may load scripts: ``tryit.js`` loads these only when it was
  opened that way and only when a panel opens (see ``fileAssets`` there).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import importlib.metadata as md
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYODIDE = ROOT / "node_modules" / "pyodide"
# What loadPyodide() fetches when asked for no packages (pyodide.js, then the rest); the
# version comes from the package's package.json.
PYODIDE_FILES = (
    "pyodide.js",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
# Distributions the exposed verbs import that are not in Pyodide's core: their pure part.
PURE_DISTS = ("tzdata", "PyYAML", "dnspython")
CACHE = ROOT / "_build" / "tryit"
# The files tryit.js fetches itself, under _static/tryit/, besides the wheels; and those the
# Pyodide loader fetches (pyodide.js's browser_getBinaryResponse and loadLockFile): all of
# them get a data script for pages opened from file://.
DATA_FILES = (
    "manifest.json",
    "runner.py",
    "pyodide/pyodide-lock.json",
    "pyodide/pyodide.asm.wasm",
    "pyodide/python_stdlib.zip",
)
DATA_GLOBAL = "__infranotesTryitData"
MARK = "infranotes-tryit"


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def pure_wheel(dist_name: str, out: Path) -> Path:
    """A py3-none-any wheel of an installed distribution's pure-Python files.

    Compiled extensions (PyYAML's ``_yaml`` over libyaml) are left out; PyYAML's
    ``__init__`` falls back to its pure loader when ``yaml._yaml`` does not import.
    """
    dist = md.distribution(dist_name)
    name, version = dist.metadata["Name"], dist.version
    stem = f"{name.replace('-', '_')}-{version}"
    info = f"{stem}.dist-info"
    target = out / f"{stem}-py3-none-any.whl"
    if target.exists():
        return target
    files: list[tuple[str, bytes]] = []
    for f in dist.files or ():
        p = str(f)
        if p.endswith((".so", ".pyd", ".pyc")) or "__pycache__" in p or ".dist-info/" in p:
            continue
        if p.startswith("..") or p.startswith("/"):
            continue  # scripts installed outside site-packages
        files.append((p, Path(dist.locate_file(f)).read_bytes()))
    files.sort()
    files.append((f"{info}/METADATA", dist.read_text("METADATA").encode()))
    wheel = (
        "Wheel-Version: 1.0\nGenerator: infranotes_tryit\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n"
    )
    files.append((f"{info}/WHEEL", wheel.encode()))
    record = [_record_line(n, d) for n, d in files] + [f"{info}/RECORD,,"]
    files.append((f"{info}/RECORD", ("\n".join(record) + "\n").encode()))
    fd, name = tempfile.mkstemp(dir=out, suffix=".part")  # unique: builds may run side by side
    os.close(fd)
    tmp = Path(name)
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in files:
            z.writestr(zipfile.ZipInfo(n, date_time=(1980, 1, 1, 0, 0, 0)), d, zipfile.ZIP_DEFLATED)
    tmp.replace(target)
    return target


def _newest(tree: Path) -> float:
    return max(p.stat().st_mtime for p in tree.rglob("*") if p.is_file())


def project_wheel(out: Path) -> Path:
    """The project's own wheel, built by its build backend from a copy of the tree.

    Built in a temporary copy so that setuptools leaves no ``build/`` in the repository;
    rebuilt only when something under ``src/`` or ``pyproject.toml`` changed.
    """
    old = sorted(out.glob("infranotes-*.whl"))
    inputs = max(_newest(ROOT / "src"), (ROOT / "pyproject.toml").stat().st_mtime)
    if old and old[-1].stat().st_mtime >= inputs:
        return old[-1]
    with tempfile.TemporaryDirectory() as tmp:
        src, dist = Path(tmp) / "src", Path(tmp) / "dist"
        shutil.copytree(
            ROOT / "src", src / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
        )
        for f in ("pyproject.toml", "README.md"):
            shutil.copy2(ROOT / f, src / f)
        subprocess.run(
            [
                *(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"),
                *("--no-build-isolation", "-w", str(dist), str(src)),
            ],
            check=True,
        )
        built = next(dist.glob("infranotes-*.whl"))
        for w in old:
            w.unlink(missing_ok=True)
        # A rename: a build running beside this one never sees half a wheel.
        return Path(shutil.move(built, out / built.name))


def build_assets(outdir: Path) -> dict[str, Any]:
    """Copy Pyodide and the wheels into ``outdir/_static/tryit/``; return the manifest."""
    if not (PYODIDE / "pyodide.asm.wasm").exists():
        raise RuntimeError(
            "node_modules/pyodide is missing: run `npm ci` (make book does) before building"
        )
    dest = outdir / "_static" / "tryit"
    (dest / "pyodide").mkdir(parents=True, exist_ok=True)
    for old in (dest / "pyodide").iterdir():
        if old.name not in PYODIDE_FILES:
            old.unlink()  # left by an earlier build with another file list
    for name in PYODIDE_FILES:
        shutil.copy2(PYODIDE / name, dest / "pyodide" / name)
    cache = CACHE / "wheels"
    cache.mkdir(parents=True, exist_ok=True)
    wheels = [project_wheel(cache)] + [pure_wheel(d, cache) for d in PURE_DISTS]
    (dest / "wheels").mkdir(exist_ok=True)
    for stale in (dest / "wheels").glob("*.whl"):
        stale.unlink()
    for w in wheels:
        shutil.copy2(w, dest / "wheels" / w.name)
    version = json.loads((PYODIDE / "package.json").read_text())["version"]
    manifest = {
        "pyodide": version,
        "wheels": [{"name": w.name, "bytes": w.stat().st_size} for w in wheels],
    }
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    if (dest / "data").exists():
        shutil.rmtree(dest / "data")  # an earlier build's wheels
    for rel in DATA_FILES + tuple(f"wheels/{w.name}" for w in wheels):
        data_script(dest, rel)
    return manifest


def data_script(dest: Path, rel: str) -> Path:
    """``dest/data/<rel>.js``: the bytes of ``dest/<rel>`` as a script a file:// page may load.

    One statement, ``(window.__infranotesTryitData ||= {})["<rel>"] = {gzip, b64};``: a
    string literal, which Chromium parses quickly and ``tryit.js`` decodes once. Gzipped
    when that saves a tenth or more (the .wasm: 8.6 MB to 2.8 MB; the zips are already
    deflated), for the browser's ``DecompressionStream("gzip")`` to undo.
    """
    data = (dest / rel).read_bytes()
    packed = gzip.compress(data, 6, mtime=0)
    zipped = len(packed) < 0.9 * len(data)
    b64 = base64.b64encode(packed if zipped else data).decode("ascii")
    out = dest / "data" / f"{rel}.js"
    out.parent.mkdir(parents=True, exist_ok=True)
    entry = f'{{gzip: {"true" if zipped else "false"}, b64: "{b64}"}}'
    out.write_text(f"(window.{DATA_GLOBAL} ||= {{}})[{json.dumps(rel)}] = {entry};\n")
    return out


def _page_context(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Only pages with a panel load the panel script and style (page-specific in Sphinx)."""
    if MARK in context.get("body", ""):
        app.add_css_file("tryit/tryit.css")
        app.add_js_file("tryit/tryit.js", loading_method="defer")


def _finished(app: Any, exc: Exception | None) -> None:
    if exc is None and app.builder.format == "html":
        build_assets(Path(app.outdir))


def setup(app: Any) -> dict[str, Any]:
    """Register the page hook and the asset step."""
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _finished)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
