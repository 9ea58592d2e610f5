"""Which zone a process uses, given a root filesystem and its environment, per libc.

glibc 2.36 (``time/tzset.c``, ``time/tzfile.c``): ``TZ`` unset → ``/etc/localtime``; ``TZ``
empty → the zone file ``Universal`` (``tzset_internal``); otherwise a leading ``:`` is
dropped, the value is tried as a file (absolute, or under ``TZDIR``, default
``/usr/share/zoneinfo``) and, failing that, parsed as a POSIX string — so ``Asia/Nowhere``
becomes a zone named ``Asia`` at UTC+0, and a rule-less ``AAA5BBB`` takes its transitions
from ``posixrules``. musl 1.2.3 (``src/time/__tz.c`` ``do_tzset``): letters followed by an
offset (or named UTC/GMT) are a POSIX string; anything else is a file, searched in fixed
directories (``TZDIR`` is ignored), and a file that cannot be read means UTC. Neither libc
reads ``/etc/timezone``.

The abbreviation, offset and DST flag a program sees come from literal ports of both
libraries' code (:mod:`~infranotes.timekeeping.libcsim`), so a damaged file reads as the libc
reads it; the warnings say why. Checked in chroot roots against static glibc and musl probes
(``tests/oracles/test_timezone_oracle.py``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from infranotes.errors import ParseError
from infranotes.timekeeping.libcsim import (
    MUSL_SEARCH,
    Reader,
    glibc_localtime,
    glibc_reads,
    musl_localtime,
    musl_posix_form,
    musl_reads,
)
from infranotes.timekeeping.messages import said, say, tr
from infranotes.timekeeping.posixtz import PosixTZ, parse_posix_tz
from infranotes.timekeeping.tzif import parse_tzif

ZONEINFO = "/usr/share/zoneinfo"


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


def _reader(root: Path) -> Reader:
    """Bytes of a path as a process chrooted to ``root`` would open it (None: cannot)."""

    def read(path: str) -> bytes | None:
        p = resolve_in_root(root, path)
        if p is None or not p.is_file():
            return None
        try:
            return p.read_bytes()
        except OSError:
            return None

    return read


def _damage(data: bytes) -> str | None:
    """Why the strict RFC 8536 reader refuses these bytes; None when it accepts them."""
    try:
        parse_tzif(data)
    except ParseError as exc:
        return exc.message
    return None


def _usable(data: bytes, libc: str) -> bool:
    """Whether the libc loads this file at all (glibc's checks, or musl's size and magic)."""
    return glibc_reads(data) if libc == "glibc" else musl_reads(data)


def _file_verdict(label: str, data: bytes, libc: str, warnings: list[str]) -> bool:
    """True when ``libc`` uses the file; warns when the file is damaged or refused."""
    why = _damage(data)
    if not _usable(data, libc):
        if data[:4] != b"TZif":
            warnings.append(
                said(lambda lang: tr(lang, "{label} is not a TZif file: UTC is used", label=label))
            )
        else:
            warnings.append(
                said(
                    lambda lang: tr(
                        lang,
                        "{label} is a TZif file {libc} refuses ({why}): UTC is used",
                        label=label,
                        libc=libc,
                        why=why,
                    )
                )
            )
        return False
    if why is not None:
        warnings.append(
            said(
                lambda lang: tr(
                    lang,
                    "{label} is damaged ({why}) but {libc} still uses it: the values below are "
                    "what {libc} makes of it, not the zone's",
                    label=label,
                    why=why,
                    libc=libc,
                )
            )
        )
    return True


def _default(lang: str) -> str:
    return tr(lang, "default (UTC)")


def _localtime(root: Path, libc: str, warnings: list[str]) -> tuple[str | None, str, tuple]:
    """(zone, source, same-content names) when TZ is unset: /etc/localtime."""
    link = root / "etc" / "localtime"
    data = _reader(root)("/etc/localtime")
    if link.is_symlink():
        target = os.readlink(link)
        if data is None:
            warnings.append(
                said(
                    lambda lang: tr(
                        lang,
                        "/etc/localtime points to {target}, which does not exist or is not a "
                        "TZif file: UTC is used",
                        target=target,
                    )
                )
            )
            return None, said(_default), ()
        if not _file_verdict(f"/etc/localtime -> {target}", data, libc, warnings):
            return None, said(_default), ()
        source = said(lambda lang: tr(lang, "/etc/localtime -> {target} (symlink)", target=target))
        return zone_name_from_link(target), source, ()
    if data is None:
        warnings.append(
            said(
                lambda lang: tr(
                    lang, "/etc/localtime is missing: UTC is used (install tzdata and link a zone)"
                )
            )
        )
        return None, said(_default), ()
    if not _file_verdict("/etc/localtime", data, libc, warnings):
        return None, said(_default), ()
    same = same_content(root, data)
    if same:
        warnings.append(
            said(
                lambda lang: tr(
                    lang,
                    "/etc/localtime is a copy, not a symlink: the zone name is lost (same "
                    "content as {same}) and a tzdata update will not reach it",
                    same=", ".join(same[:4]),
                )
            )
        )
    else:
        warnings.append(
            said(
                lambda lang: tr(
                    lang,
                    "/etc/localtime is a copy that matches no zone file here: stale after a "
                    "tzdata update, or from another tzdata release",
                )
            )
        )
    copy = said(lambda lang: tr(lang, "/etc/localtime (a copy)"))
    return (same[0] if len(same) == 1 else None), copy, same


def diagnose(root: Path, env: Mapping[str, str], libc: str = "glibc", at: int = 0) -> ZoneState:
    """The zone a process started with ``env`` inside ``root`` uses, evaluated at ``at``.

    Which file or string is used, and the warnings, come from the resolution rules above;
    the abbreviation, offset and DST flag are what the libc's own code computes
    (:mod:`~infranotes.timekeeping.libcsim`), empty names and garbage included."""
    if libc not in ("glibc", "musl"):
        raise ParseError(f"unknown libc {libc!r}", source="--libc", expected="glibc or musl")
    warnings: list[str] = []
    tz = env.get("TZ")
    same: tuple = ()
    if tz is None:
        zone, source, same = _localtime(root, libc, warnings)
    elif libc == "glibc":
        zone, source = _glibc_tz(root, tz, env, warnings)
    else:
        zone, source = _musl_tz(root, tz, env, warnings)
    read = _reader(root)
    if libc == "glibc":
        local = glibc_localtime(tz, read, at, env.get("TZDIR") or None)
    else:
        local = musl_localtime(tz, read, at)
    warnings += [_from_libc(libc, note) for note in local.notes]
    if not -89999 <= local.gmtoff <= 93599:
        warnings.append(
            said(
                lambda lang: tr(
                    lang,
                    "{libc} reports a UTC offset of {offset} s, which no zone has "
                    "(RFC 8536 allows -89999..93599): a program's local times will be garbage",
                    libc=libc,
                    offset=local.gmtoff,
                )
            )
        )
    if local.abbr == "" and not any("empty name" in w for w in warnings):
        warnings.append(
            said(
                lambda lang: tr(
                    lang, '{libc} gives an empty zone name here (tm_zone is "")', libc=libc
                )
            )
        )
    state = ZoneState(
        zone, source, local.abbr, local.gmtoff, local.isdst, at, libc, tuple(warnings), same
    )
    _timezone_file_warning(root, state, warnings)
    return ZoneState(
        state.zone,
        state.source,
        state.abbreviation,
        state.utc_offset_seconds,
        state.isdst,
        at,
        libc,
        tuple(dict.fromkeys(warnings)),
        state.same_content_as,
    )


def _from_libc(libc: str, note: str) -> str:
    """A note of the libc port, prefixed with the libc's name (in both languages)."""
    return said(lambda lang: f"{libc}: {say(note, lang)}")


def _glibc_tz(
    root: Path, tz: str, env: Mapping[str, str], warnings: list[str]
) -> tuple[str | None, str]:
    """glibc: TZ="" is the file Universal; a leading ':' is dropped; a file, else POSIX."""
    read = _reader(root)
    tzdir = env.get("TZDIR") or ZONEINFO
    if env.get("TZDIR"):
        warnings.append(
            said(
                lambda lang: tr(
                    lang,
                    "TZDIR={tzdir}: glibc looks for zones there (musl does not)",
                    tzdir=env["TZDIR"],
                )
            )
        )
    if tz == "":
        path = f"{tzdir.rstrip('/')}/Universal"
        data = read(path)
        if data is not None and _file_verdict(path, data, "glibc", warnings):
            return "Universal", said(
                lambda lang: tr(lang, "TZ is empty: glibc reads the zone file {path}", path=path)
            )
        warnings.append(
            said(
                lambda lang: tr(
                    lang,
                    "TZ is empty and {path} cannot be used: glibc reads 'Universal' as a POSIX "
                    "TZ string, a zone named 'Universal' at UTC+0",
                    path=path,
                )
            )
        )
        return None, said(lambda lang: tr(lang, "TZ is empty (POSIX string 'Universal')"))
    value = tz[1:] if tz.startswith(":") else tz
    if value == "":
        return "UTC", "TZ=':' : UTC"
    path = value if value.startswith("/") else f"{tzdir.rstrip('/')}/{value}"
    data = read(path)
    if data is not None:
        if _file_verdict(path, data, "glibc", warnings):
            name = value if not value.startswith("/") else zone_name_from_link(value)
            return name, _zone_file(tz, path)
        warnings.append(
            said(
                lambda lang: tr(
                    lang, "TZ={tz}: glibc then reads the value as a POSIX TZ string", tz=tz
                )
            )
        )
    posix = _glibc_posix_fallback(value)
    if not _is_clean_posix(value):
        warnings.append(
            said(
                lambda lang: tr(
                    lang,
                    "TZ={tz}: no zone file {path}; glibc read it as a POSIX TZ string, so the "
                    "zone is '{std}' at UTC{offset}",
                    tz=tz,
                    path=path,
                    std=posix.std,
                    offset=_fmt(posix.std_offset),
                )
            )
        )
    return None, _posix_string(tz)


def _zone_file(tz: str, path: str) -> str:
    return said(lambda lang: tr(lang, "TZ={tz} (zone file {path})", tz=tz, path=path))


def _posix_string(tz: str) -> str:
    return said(lambda lang: tr(lang, "TZ={tz} (POSIX string)", tz=tz))


def _musl_tz(
    root: Path, tz: str, env: Mapping[str, str], warnings: list[str]
) -> tuple[str | None, str]:
    """musl: TZ="" is "UTC"; letters then an offset (or UTC/GMT) are POSIX, else a file."""
    read = _reader(root)
    if "TZDIR" in env:
        warnings.append(said(lambda lang: tr(lang, "musl ignores TZDIR")))
    s = tz or "UTC"
    if not musl_posix_form(s):
        value = s[1:] if s.startswith(":") else s
        data, path = None, value
        if value.startswith(("/", ".")):
            data = read(value)
        elif "." not in value and len(value.encode()) <= 255:
            for base in MUSL_SEARCH:
                path = base + value
                data = read(path)
                if data is not None:
                    break
        if data is None:
            warnings.append(
                said(lambda lang: tr(lang, "TZ={tz}: musl found no zone file: UTC is used", tz=tz))
            )
            return None, said(_default)
        if not _file_verdict(path, data, "musl", warnings):
            return None, said(_default)
        return value, _zone_file(tz, path)
    try:
        posix = parse_posix_tz(s, source="TZ")
    except ParseError:
        warnings.append(
            said(
                lambda lang: tr(
                    lang,
                    "TZ={tz} is not a valid POSIX TZ string; musl reads whatever prefix it can",
                    tz=tz,
                )
            )
        )
        return None, _posix_string(tz)
    if posix.dst and posix.start is None:
        warnings.append(
            said(
                lambda lang: tr(
                    lang,
                    "TZ={tz} names a DST zone without rules: musl applies DST all year (glibc "
                    "would load the zone file of that name, or take posixrules)",
                    tz=tz,
                )
            )
        )
    if not tz:
        return "UTC", said(lambda lang: tr(lang, "TZ is empty: UTC"))
    return None, _posix_string(tz)


def _glibc_posix_fallback(value: str) -> PosixTZ:
    """glibc's __tzset_parse_tz, for the warning: the name and offset of the parsed prefix."""
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
        used = state.zone or state.source
        warnings.append(
            said(
                lambda lang: tr(
                    lang,
                    "/etc/timezone says {name!r} but the C library uses {used}: libc never reads "
                    "/etc/timezone (Debian's dpkg-reconfigure tzdata, some Java builds and "
                    "Python's tzlocal do)",
                    name=name,
                    used=say(used, lang),
                )
            )
        )
