"""Which zone a process uses, given a root filesystem and its environment, per libc.

glibc 2.36 (``time/tzset.c``, ``time/tzfile.c``): ``TZ`` unset → ``/etc/localtime``; ``TZ``
empty → UTC; otherwise a leading ``:`` is dropped, the value is tried as a file (absolute, or
under ``TZDIR``, default ``/usr/share/zoneinfo``) and, failing that, parsed as a POSIX string
— so ``Asia/Nowhere`` becomes a zone named ``Asia`` at UTC+0. musl 1.2.3
(``src/time/__tz.c``): only a value starting with ``:`` or containing ``/`` (before any ``,``)
is a file, searched in fixed directories (``TZDIR`` is ignored); a file that cannot be read
means UTC; anything else is a POSIX string. Neither libc reads ``/etc/timezone``. The
behaviours are oracle-tested against ``date`` and a musl-built probe.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from infranotes.errors import ParseError
from infranotes.timekeeping.posixtz import PosixTZ, Rule, parse_posix_tz
from infranotes.timekeeping.tzif import TZif, parse_tzif

ZONEINFO = "/usr/share/zoneinfo"
MUSL_SEARCH = ("/usr/share/zoneinfo/", "/share/zoneinfo/", "/etc/zoneinfo/")
# glibc without rules in a TZ string uses the "posixrules" file (America/New_York in tzdata);
# since 2007 that is the US rule, second Sunday of March to first Sunday of November.
US_RULES = (Rule("M", 0, 3, 2), Rule("M", 0, 11, 1))


@dataclass(frozen=True)
class ZoneState:
    """The doctor's answer: the zone, where it came from, and its state at one instant."""

    zone: str | None  # a zone name when known; None when only the content is known
    source: str
    abbreviation: str
    utc_offset_seconds: int
    isdst: bool
    at: int
    libc: str
    warnings: tuple[str, ...] = ()
    same_content_as: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, object]:
        return {
            "zone": self.zone,
            "source": self.source,
            "abbreviation": self.abbreviation,
            "utc_offset_seconds": self.utc_offset_seconds,
            "isdst": self.isdst,
            "at": self.at,
            "libc": self.libc,
            "warnings": list(self.warnings),
            "same_content_as": list(self.same_content_as),
        }


def resolve_in_root(root: Path, path: str, max_links: int = 40) -> Path | None:
    """``path`` inside ``root`` as a chroot would see it (symlinks followed within root)."""
    parts = list(PurePosixPath(path).parts)
    if parts and parts[0] == "/":
        parts = parts[1:]
    cur: list[str] = []
    links = 0
    while parts:
        name = parts.pop(0)
        if name in ("", "."):
            continue
        if name == "..":
            if cur:
                cur.pop()
            continue
        candidate = root.joinpath(*cur, name)
        if candidate.is_symlink():
            links += 1
            if links > max_links:
                return None
            target = os.readlink(candidate)
            tparts = list(PurePosixPath(target).parts)
            if target.startswith("/"):
                cur = []
                tparts = tparts[1:]
            parts = tparts + parts
            continue
        if not candidate.exists():
            return None
        cur.append(name)
    return root.joinpath(*cur)


def zone_name_from_link(target: str) -> str | None:
    """``/usr/share/zoneinfo/Asia/Shanghai`` → ``Asia/Shanghai`` (how timedatectl names it)."""
    marker = "zoneinfo/"
    if marker not in target:
        return None
    name = target.split(marker, 1)[1]
    for prefix in ("posix/", "right/"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name or None


def same_content(root: Path, data: bytes, zoneinfo: str = ZONEINFO) -> tuple[str, ...]:
    """Zone names under ``root``'s zoneinfo whose files have exactly these bytes."""
    base = resolve_in_root(root, zoneinfo)
    if base is None or not base.is_dir():
        return ()
    want = hashlib.sha256(data).digest()
    hits = []
    for dirpath, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d not in ("posix", "right"))
        for f in sorted(files):
            p = Path(dirpath) / f
            if p.is_symlink() or not p.is_file() or p.stat().st_size != len(data):
                continue
            if hashlib.sha256(p.read_bytes()).digest() == want:
                hits.append(str(p.relative_to(base)))
    return tuple(sorted(hits))


def _read_tzif(path: Path | None) -> TZif | None:
    if path is None or not path.is_file():
        return None
    data = path.read_bytes()
    try:
        return parse_tzif(data, str(path))
    except ParseError:
        return None


def _from_posix(tz: PosixTZ, libc: str, at: int) -> tuple[int, bool, str]:
    if tz.dst is not None and tz.start is None and libc == "glibc":
        tz = PosixTZ(tz.text, tz.std, tz.std_offset, tz.dst, tz.dst_offset, *US_RULES)
    return tz.evaluate(at)


def _glibc_posix_fallback(value: str) -> PosixTZ:
    """glibc's __tzset_parse_tz: whatever prefix parses (a name alone means offset 0)."""
    try:
        return parse_posix_tz(value, source="TZ")
    except ParseError:
        pass
    name = ""
    if value.startswith("<") and ">" in value:
        name = value[1 : value.index(">")]
    else:
        for ch in value:
            if not ch.isalpha():
                break
            name += ch
    if len(name) < 3:
        name = ""
    return PosixTZ(value, name, 0)


def _state(
    libc: str,
    at: int,
    zone: str | None,
    source: str,
    tzif: TZif | None = None,
    posix: PosixTZ | None = None,
    warnings: list[str] | None = None,
    same: tuple[str, ...] = (),
) -> ZoneState:
    if tzif is not None:
        lt = tzif.at(at)
        off, dst, abbr = lt.utoff, lt.isdst, lt.abbr
    elif posix is not None:
        off, dst, abbr = _from_posix(posix, libc, at)
    else:
        off, dst, abbr = 0, False, "UTC"
    return ZoneState(zone, source, abbr, off, dst, at, libc, tuple(warnings or ()), same)


def diagnose(root: Path, env: Mapping[str, str], libc: str = "glibc", at: int = 0) -> ZoneState:
    """The zone a process started with ``env`` inside ``root`` uses, evaluated at ``at``."""
    if libc not in ("glibc", "musl"):
        raise ParseError(f"unknown libc {libc!r}", source="--libc", expected="glibc or musl")
    warnings: list[str] = []
    tz = env.get("TZ")
    state = _diagnose(root, tz, env, libc, at, warnings)
    _timezone_file_warning(root, state, warnings)
    return ZoneState(
        state.zone,
        state.source,
        state.abbreviation,
        state.utc_offset_seconds,
        state.isdst,
        at,
        libc,
        tuple(warnings),
        state.same_content_as,
    )


def _localtime(root: Path, libc: str, at: int, warnings: list[str], source: str) -> ZoneState:
    link = root / "etc" / "localtime"
    if link.is_symlink():
        target = os.readlink(link)
        name = zone_name_from_link(target)
        tzif = _read_tzif(resolve_in_root(root, "/etc/localtime"))
        if tzif is None:
            warnings.append(
                f"/etc/localtime points to {target}, which does not exist or is not a "
                "TZif file: UTC is used"
            )
            return _state(libc, at, None, "default (UTC)", warnings=warnings)
        return _state(libc, at, name, f"{source} -> {target} (symlink)", tzif)
    if not link.exists():
        warnings.append("/etc/localtime is missing: UTC is used (install tzdata and link a zone)")
        return _state(libc, at, None, "default (UTC)", warnings=warnings)
    tzif = _read_tzif(link)
    if tzif is None:
        warnings.append("/etc/localtime is not a TZif file: UTC is used")
        return _state(libc, at, None, "default (UTC)", warnings=warnings)
    same = same_content(root, link.read_bytes())
    if same:
        warnings.append(
            "/etc/localtime is a copy, not a symlink: the zone name is lost (same "
            f"content as {', '.join(same[:4])}) and a tzdata update will not reach it"
        )
    else:
        warnings.append(
            "/etc/localtime is a copy that matches no zone file here: stale after a "
            "tzdata update, or from another tzdata release"
        )
    return _state(
        libc, at, same[0] if len(same) == 1 else None, f"{source} (a copy)", tzif, same=same
    )


def _diagnose(
    root: Path, tz: str | None, env: Mapping[str, str], libc: str, at: int, warnings: list[str]
) -> ZoneState:
    if tz is None:
        return _localtime(root, libc, at, warnings, "/etc/localtime")
    if libc == "glibc":
        if tz == "":
            return _state(libc, at, "UTC", "TZ is empty: UTC")
        value = tz[1:] if tz.startswith(":") else tz
        if value == "":
            return _state(libc, at, "UTC", "TZ=':' : UTC")
        if value.startswith("/"):
            path = value
        else:
            tzdir = env.get("TZDIR") or ZONEINFO
            path = f"{tzdir.rstrip('/')}/{value}"
            if env.get("TZDIR"):
                warnings.append(
                    f"TZDIR={env['TZDIR']}: glibc looks for zones there (musl does not)"
                )
        tzif = _read_tzif(resolve_in_root(root, path))
        if tzif is not None:
            return _state(
                libc,
                at,
                value if not value.startswith("/") else zone_name_from_link(value),
                f"TZ={tz} (zone file {path})",
                tzif,
            )
        posix = _glibc_posix_fallback(value)
        if not _is_clean_posix(value):
            warnings.append(
                f"TZ={tz}: no zone file {path}; glibc read it as a POSIX TZ string, "
                f"so the zone is '{posix.std}' at UTC{_fmt(posix.std_offset)}"
            )
        return _state(libc, at, None, f"TZ={tz} (POSIX string)", posix=posix, warnings=warnings)
    # musl
    if tz == "":
        return _state(libc, at, "UTC", "TZ is empty: UTC")
    comma = tz.find(",")
    slash = tz.find("/")
    if tz.startswith(":") or (slash >= 0 and (comma < 0 or slash < comma)):
        value = tz[1:] if tz.startswith(":") else tz
        if "TZDIR" in env:
            warnings.append("musl ignores TZDIR")
        tzif = None
        path = value
        if value.startswith(("/", ".")):
            tzif = _read_tzif(resolve_in_root(root, value))
        elif "." not in value and value:
            for base in MUSL_SEARCH:
                path = base + value
                tzif = _read_tzif(resolve_in_root(root, path))
                if tzif is not None:
                    break
        if tzif is None:
            warnings.append(f"TZ={tz}: musl found no zone file: UTC is used")
            return _state(libc, at, None, "default (UTC)", warnings=warnings)
        return _state(libc, at, value, f"TZ={tz} (zone file {path})", tzif)
    try:
        posix = parse_posix_tz(tz, source="TZ")
    except ParseError:
        warnings.append(f"TZ={tz} is neither a zone file nor a POSIX string musl can read: UTC")
        return _state(libc, at, None, "default (UTC)", warnings=warnings)
    if posix.dst and posix.start is None:
        warnings.append(
            f"TZ={tz} names a DST zone without rules: musl applies DST all year "
            "(glibc would load the zone file of that name)"
        )
    return _state(libc, at, None, f"TZ={tz} (POSIX string)", posix=posix, warnings=warnings)


def _is_clean_posix(value: str) -> bool:
    try:
        parse_posix_tz(value)
    except ParseError:
        return False
    return True


def _fmt(east: int) -> str:
    sign = "+" if east >= 0 else "-"
    h, rem = divmod(abs(east), 3600)
    return f"{sign}{h:02d}{rem // 60:02d}"


def _timezone_file_warning(root: Path, state: ZoneState, warnings: list[str]) -> None:
    f = root / "etc" / "timezone"
    if not f.is_file():
        return
    name = f.read_text(errors="replace").strip()
    known = {state.zone, *state.same_content_as} - {None}
    if name and name not in known:
        warnings.append(
            f"/etc/timezone says {name!r} but the C library uses "
            f"{state.zone or state.source}: libc never reads /etc/timezone (Debian's "
            "dpkg-reconfigure tzdata, some Java builds and Python's tzlocal do)"
        )
