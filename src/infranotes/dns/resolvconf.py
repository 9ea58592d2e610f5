"""resolv.conf as glibc and musl read it: nameservers, search list and options.

The two libcs read the same file differently. The rules below follow glibc 2.36
(``resolv/res_init.c``: ``res_vinit_1`` and ``res_setoptions``) and musl 1.2.3
(``src/network/resolvconf.c``: ``__get_resolv_conf``); each difference is a unit test and,
where the machine allows, an oracle test against the real library.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from infranotes.dns.messages import tr
from infranotes.errors import ParseError

Libc = Literal["glibc", "musl"]
LIBCS: tuple[Libc, ...] = ("glibc", "musl")

MAXNS = 3  # both: resolv.h MAXNS
MAX_NDOTS = 15  # glibc RES_MAXNDOTS; musl caps at 15 too
GLIBC_MAX_TIMEOUT = 30  # glibc RES_MAXRETRANS
GLIBC_MAX_ATTEMPTS = 5  # glibc RES_MAXRETRY
MUSL_MAX_TIMEOUT = 60
MUSL_MAX_ATTEMPTS = 10
MUSL_LINE_BUFFER = 256  # musl reads with fgets(line, 256): longer lines are skipped whole

# glibc res_setoptions: flag options, matched as a *prefix* of each word (memcmp with the
# option's length), in this order ("single-request-reopen" before "single-request").
GLIBC_FLAG_OPTIONS: tuple[tuple[str, str], ...] = (
    ("inet6", "inet6"),
    ("rotate", "rotate"),
    ("edns0", "edns0"),
    ("single-request-reopen", "single_request_reopen"),
    ("single-request", "single_request"),
    ("no_tld_query", "no_tld_query"),
    ("no-tld-query", "no_tld_query"),
    ("no-reload", "no_reload"),
    ("use-vc", "use_vc"),
    ("trust-ad", "trust_ad"),
    ("no-aaaa", "no_aaaa"),
    ("debug", "debug"),
)


@dataclass(frozen=True)
class Options:
    """Resolver options; defaults are both libcs' built-in values."""

    ndots: int = 1
    timeout: int = 5
    attempts: int = 2
    rotate: bool = False
    single_request: bool = False
    single_request_reopen: bool = False
    edns0: bool = False
    use_vc: bool = False
    no_tld_query: bool = False
    trust_ad: bool = False
    no_aaaa: bool = False
    inet6: bool = False
    no_reload: bool = False
    debug: bool = False

    def enabled_flags(self) -> tuple[str, ...]:
        """The boolean options that are on, in resolv.conf spelling."""
        names = [k for k, v in self.__dict__.items() if v is True]
        return tuple(n.replace("_", "-") for n in names)


#: A sentence in a given language ("en" or "zh"): how a warning is kept until it is shown.
Phrase = Callable[[str], str]


@dataclass(frozen=True)
class ConfWarning:
    """Something in the file a libc ignores, caps or reads differently from what it says."""

    line: int
    message: str
    said: Phrase | None = field(default=None, compare=False, repr=False)

    def message_in(self, lang: str) -> str:
        """The message in ``lang``: English, or what ``said`` renders."""
        return self.message if lang == "en" or self.said is None else self.said(lang)


def _note(line: int, said: Phrase) -> ConfWarning:
    """A warning in English, with ``said`` kept to render it in another language."""
    return ConfWarning(line, said("en"), said)


@dataclass(frozen=True)
class ResolvConf:
    """The configuration one libc ends up with after reading a resolv.conf."""

    libc: Libc
    nameservers: tuple[str, ...]
    search: tuple[str, ...]
    options: Options
    warnings: tuple[ConfWarning, ...] = ()
    source: str = "<resolv.conf>"
    nameservers_configured: bool = field(default=True)
    abort_reason: str | None = None  # glibc only: the resolver aborts before any query

    @property
    def ndots(self) -> int:
        return self.options.ndots


def _atoi(text: str) -> int:
    """C atoi(): optional sign and leading digits, 0 when there are none."""
    s = text.lstrip(" \t")
    sign, i = 1, 0
    if s[:1] in "+-" and s[:1]:
        sign, i = (-1 if s[0] == "-" else 1), 1
    j = i
    while j < len(s) and s[j].isascii() and s[j].isdigit():
        j += 1
    return sign * int(s[i:j]) if j > i else 0


def _strtoul_digits(text: str) -> int | None:
    """musl's ``isdigit(p[0])`` then strtoul(): the leading decimal digits, or None."""
    j = 0
    while j < len(text) and text[j].isascii() and text[j].isdigit():
        j += 1
    return int(text[:j]) if j else None


def normalize_address(text: str) -> str | None:
    """An IPv4 (inet_aton forms, so ``127.1`` is 127.0.0.1) or IPv6 literal, else None."""
    addr, _, scope = text.partition("%")
    try:
        if ":" not in addr:
            if not addr or not all(c.isascii() and (c.isalnum() or c == ".") for c in addr):
                return None
            return socket.inet_ntoa(socket.inet_aton(addr)) if not scope else None
        packed = socket.inet_pton(socket.AF_INET6, addr)
        return socket.inet_ntop(socket.AF_INET6, packed) + (f"%{scope}" if scope else "")
    except (OSError, ValueError):
        return None


def _keyword(line: str, name: str, libc: Libc) -> str | None:
    """The rest of ``line`` if it starts with keyword ``name`` as this libc matches keywords.

    glibc's MATCH() wants a space or a tab right after the keyword; musl's ``isspace``
    also accepts the newline, so a bare ``options`` line matches there (and does nothing).
    """
    if not line.startswith(name):
        return None
    after = line[len(name) : len(name) + 1]
    ok = after in (" ", "\t") if libc == "glibc" else after in (" ", "\t", "\n", "\v", "\f", "\r")
    return line[len(name) :] if ok else None


def _check_text(data: str | bytes, source: str) -> str:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ParseError(
                "bytes that are not UTF-8 text", source=source, line=line, expected="a text file"
            ) from None
    if "\0" in data:
        line = data[: data.index("\0")].count("\n") + 1
        raise ParseError("NUL byte in file", source=source, line=line, expected="a text file")
    return data


KNOWN_KEYWORDS = ("nameserver", "domain", "search", "sortlist", "options", "lookup", "family")


def parse_resolv_conf(
    data: str | bytes,
    libc: Libc = "glibc",
    *,
    source: str = "<resolv.conf>",
    env: Mapping[str, str] | None = None,
    hostname: str | None = None,
    strict: bool = False,
) -> ResolvConf:
    """Read resolv.conf text the way ``libc`` does.

    ``env`` supplies ``LOCALDOMAIN`` and ``RES_OPTIONS`` (glibc honours both, musl neither);
    ``hostname`` lets glibc derive a search domain when the file names none. With ``strict``
    every warning becomes a :class:`ParseError`.
    """
    if libc not in LIBCS:
        raise ParseError(f"unknown libc {libc!r}", source=source, expected="glibc or musl")
    text = _check_text(data, source)
    if libc == "glibc":
        conf = _parse_glibc(text, source, env or {}, hostname)
    else:
        conf = _parse_musl(text, source)
        ignored = [k for k in ("LOCALDOMAIN", "RES_OPTIONS") if env and k in env]
        if ignored:
            # resolvconf.c __get_resolv_conf reads /etc/resolv.conf only (no getenv).
            note = _note(
                0,
                lambda lang: tr(
                    lang,
                    "musl does not read {names}: ignored",
                    names=(" or " if lang == "en" else " 或 ").join(ignored),
                ),
            )
            conf = replace(conf, warnings=(*conf.warnings, note))
    if strict and conf.warnings:
        first = conf.warnings[0]
        raise ParseError(first.message, source=source, line=first.line)
    return conf


def _lines(text: str) -> list[tuple[int, str]]:
    """(1-based number, line with its newline) pairs, as getline()/fgets() see them."""
    pieces = text.split("\n")
    lines = [p + "\n" for p in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
    return list(enumerate(lines, start=1))


def _not_an_address(no: int, rest: str) -> ConfWarning:
    text = rest.strip()
    return _note(no, lambda lang: tr(lang, "not an IP address: {text!r}: line ignored", text=text))


def _common_warnings(no: int, line: str, warn: list[ConfWarning]) -> None:
    stripped = line.strip()
    if not stripped or line[0] in "#;":
        return
    word = stripped.split()[0]
    if line[0] in " \t" and word in KNOWN_KEYWORDS:
        warn.append(
            _note(
                no,
                lambda lang: tr(
                    lang, "leading whitespace before {word!r}: libc ignores the line", word=word
                ),
            )
        )
    elif word not in KNOWN_KEYWORDS:
        warn.append(
            _note(no, lambda lang: tr(lang, "unknown keyword {word!r}: ignored", word=word))
        )


def _parse_glibc(
    text: str, source: str, env: Mapping[str, str], hostname: str | None
) -> ResolvConf:
    warn: list[ConfWarning] = []
    servers: list[str] = []
    search: list[str] | None = None
    opts: dict[str, int | bool] = {}
    localdomain = env.get("LOCALDOMAIN")
    for no, raw in _lines(text):
        line = raw.rstrip("\n")
        if line[:1] in (";", "#"):
            continue
        _common_warnings(no, raw, warn)
        if (rest := _keyword(line, "domain", "glibc")) is not None:
            words = rest.split()
            if not words or localdomain is not None:
                continue
            if len(words) > 1:
                first = words[0]
                warn.append(
                    _note(
                        no,
                        lambda lang, w=first: tr(
                            lang, "glibc reads only {word!r} from the domain line", word=w
                        ),
                    )
                )
            search = [words[0]]
        elif (rest := _keyword(line, "search", "glibc")) is not None:
            words = [w for w in re.split("[ \t]", rest) if w]  # blanks are space and tab only
            if words and localdomain is None:
                search = words
        elif (rest := _keyword(line, "nameserver", "glibc")) is not None:
            words = rest.split()
            addr = normalize_address(words[0]) if words else None
            if addr is None:
                warn.append(_not_an_address(no, rest))
            elif len(servers) >= MAXNS:
                warn.append(
                    _note(
                        no,
                        lambda lang, a=addr: tr(
                            lang,
                            "nameserver {addr} ignored: glibc uses only {n}",
                            addr=a,
                            n=MAXNS,
                        ),
                    )
                )
            else:
                servers.append(addr)
        elif (rest := _keyword(line, "options", "glibc")) is not None:
            _glibc_options(rest, opts, warn, no)
    if localdomain is not None:
        search = localdomain_search_list(localdomain)
    if search is None:
        # res_init.c: with no domain/search line, the domain part of gethostname() is used.
        search = [hostname.split(".", 1)[1]] if hostname and "." in hostname.strip(".") else []
    if "RES_OPTIONS" in env:
        # res_init.c res_vinit_1: RES_OPTIONS is applied after the whole file was read.
        _glibc_options(env["RES_OPTIONS"], opts, warn, 0)
    configured = bool(servers)
    return ResolvConf(
        libc="glibc",
        nameservers=tuple(servers) or ("127.0.0.1",),
        search=tuple(search),
        options=Options(**opts),  # type: ignore[arg-type]
        warnings=tuple(warn),
        source=source,
        nameservers_configured=configured,
        abort_reason=glibc_legacy_search_abort(tuple(search)),
    )


def localdomain_search_list(value: str) -> list[str]:
    """The search list glibc builds from ``LOCALDOMAIN`` (res_init.c res_vinit_1).

    The first entry starts at the first character, even a blank one, so ``""`` and
    ``" a.test"`` both put the empty domain (the root) first; later entries start after runs
    of spaces and tabs; a newline ends the value.
    """
    value = value.split("\n", 1)[0]
    first, *others = re.split("[ \t]", value)
    return [first, *(w for w in others if w)]


GLIBC_DEFDNAME = 256  # sizeof (_res.defdname): storage for the legacy copy of the search list
GLIBC_DNSRCH_BYTES = 56  # sizeof (_res.dnsrch) on LP64: (MAXDNSRCH + 1) pointers
MAXDNSRCH = 6


def glibc_legacy_search_abort(search: tuple[str, ...]) -> str | None:
    """Why glibc 2.36 aborts on this search list, or None.

    resolv_conf.c update_from_conf copies the first MAXDNSRCH domains into the 256-byte
    ``_res.defdname`` and stops at the first one that does not fit; it then asserts
    ``resolv_conf_matches``, which accepts a shortened copy only after MAXDNSRCH entries or
    when the bytes copied so far exceed ``sizeof (resp->dnsrch)`` (56: the size of the
    pointer array, not of defdname). A list cut short for space earlier fails the assertion
    and getaddrinfo() dies with SIGABRT (oracle-tested).
    """
    used = 0
    for i, domain in enumerate(search[:MAXDNSRCH]):
        if used + len(domain) + 1 > GLIBC_DEFDNAME:
            if i == 0 or used <= GLIBC_DNSRCH_BYTES:
                return (
                    f"search domain {i + 1} does not fit _res.defdname after {used} bytes: "
                    "glibc fails `assert (resolv_conf_matches (resp, conf))` (SIGABRT)"
                )
            return None
        used += len(domain) + 1
    return None


def glibc_atoi(text: str) -> int:
    """glibc's ``atoi``: ``(int) strtol (s, NULL, 10)`` on LP64.

    strtol skips leading white space (space, \\t, \\n, \\v, \\f, \\r), takes a sign and the
    digits, and saturates at LONG_MIN/LONG_MAX; the cast to int keeps the low 32 bits.
    """
    s = text.lstrip(" \t\n\v\f\r")
    sign, i = 1, 0
    if s[:1] in ("+", "-"):
        sign, i = (-1 if s[0] == "-" else 1), 1
    j = i
    while j < len(s) and s[j] in "0123456789":
        j += 1
    value = sign * int(s[i:j]) if j > i else 0
    value = max(-(2**63), min(2**63 - 1, value))  # strtol saturates (errno ERANGE)
    value &= 0xFFFFFFFF
    return value - 2**32 if value >= 2**31 else value


def glibc_stored_ndots(i: int) -> int:
    """What ``ndots:`` leaves in ``_res.ndots`` for an atoi() result ``i``.

    res_init.c res_setoptions: ``if (i <= RES_MAXNDOTS) template.ndots = i; else
    RES_MAXNDOTS`` -- only the upper bound is checked. The value goes through ``unsigned int``
    (resolv_conf.h) into ``unsigned ndots:4`` (bits/types/res_state.h), so a negative value
    keeps its low four bits: -1 becomes 15, -16 becomes 0.
    """
    return MAX_NDOTS if i > MAX_NDOTS else i & 0xF


def _glibc_options(
    rest: str, opts: dict[str, int | bool], warn: list[ConfWarning], no: int
) -> None:
    """res_init.c ``res_setoptions``: walk ``rest`` as glibc does, one warning per option.

    Words are separated by spaces and tabs only; ``ndots:``/``timeout:``/``attempts:`` are
    matched at the start of a word and their value is read by atoi(), which may skip
    white space into the next word (``ndots: 3`` sets 3); flag options match as prefixes.
    """
    cp = 0
    limits = {"ndots": MAX_NDOTS, "timeout": GLIBC_MAX_TIMEOUT, "attempts": GLIBC_MAX_ATTEMPTS}
    while cp < len(rest):
        while cp < len(rest) and rest[cp] in " \t":
            cp += 1
        end = cp
        while end < len(rest) and rest[end] not in " \t":
            end += 1
        word = rest[cp:end].rstrip("\n")
        key = next((k for k in limits if rest.startswith(k + ":", cp)), None)
        if key is not None:
            i = glibc_atoi(rest[cp + len(key) + 1 :])
            value = glibc_stored_ndots(i) if key == "ndots" else min(i, limits[key])
            opts[key] = value
            note = _glibc_value_note(key, word[len(key) + 1 :], i, value, limits[key])
            if note:
                warn.append(_note(no, lambda lang, w=word, say=note: f"{w!r}: {say(lang)}"))
        elif word:
            for name, attr in GLIBC_FLAG_OPTIONS:
                if word.startswith(name):
                    opts[attr] = True
                    if word != name:
                        warn.append(
                            _note(
                                no,
                                lambda lang, w=word, n=name: tr(
                                    lang,
                                    "{word!r} is read as {name!r} (prefix match)",
                                    word=w,
                                    name=n,
                                ),
                            )
                        )
                    break
            else:
                warn.append(
                    _note(
                        no,
                        lambda lang, w=word: tr(
                            lang, "unknown option {word!r}: glibc ignores it", word=w
                        ),
                    )
                )
        cp = end


def _glibc_value_note(key: str, text: str, i: int, value: int, cap: int) -> Phrase | None:
    """One sentence on how glibc read ``key:text`` (one option, one note), or None."""
    if text.isascii() and text.isdigit() and int(text) == i == value:
        return None
    if i > cap:
        return lambda lang: tr(lang, "glibc caps {key} at {cap}", key=key, cap=cap)
    if key == "ndots" and i < 0:
        return lambda lang: tr(
            lang,
            "glibc's atoi() reads {i}, which passes the `i <= RES_MAXNDOTS` check and lands in "
            "the 4-bit _res.ndots as {value}",
            i=i,
            value=value,
        )
    if i < 0:
        return lambda lang: tr(lang, "glibc's atoi() reads {i} and stores it unchecked", i=i)
    if text.isascii() and text.isdigit():
        return lambda lang: tr(
            lang, "glibc's atoi() reads {i} (strtol's result cut to a 32-bit int)", i=i
        )
    if not text:
        return lambda lang: tr(
            lang, "glibc's atoi() skips the blank and reads {i} from what follows", i=i
        )
    return lambda lang: tr(lang, "glibc's atoi() reads {i}", i=i)


MUSL_IGNORED_OPTIONS = tuple(n for n, _ in GLIBC_FLAG_OPTIONS)


def _parse_musl(text: str, source: str) -> ResolvConf:
    warn: list[ConfWarning] = []
    servers: list[str] = []
    search_text = ""
    ndots, timeout, attempts = 1, 5, 2
    for no, line in _lines(text):
        if len(line.rstrip("\n")) >= MUSL_LINE_BUFFER - 1:
            # fgets(line, 256) returned a piece without its newline: musl skips the whole line.
            n = len(line.rstrip())
            warn.append(
                _note(
                    no, lambda lang, v=n: tr(lang, "line of {n} characters: musl ignores it", n=v)
                )
            )
            continue
        _common_warnings(no, line, warn)
        if (rest := _keyword(line, "options", "musl")) is not None:
            # strstr() over the whole line: the first occurrence of each option wins.
            for key, cap in (("ndots", MAX_NDOTS), ("attempts", 10), ("timeout", 60)):
                at = line.find(key + ":")
                if at < 0:
                    continue
                n = _strtoul_digits(line[at + len(key) + 1 :])
                if n is None:
                    warn.append(
                        _note(
                            no,
                            lambda lang, k=key: tr(
                                lang, "{key}: not a number, musl ignores it", key=k
                            ),
                        )
                    )
                    continue
                if n > cap:
                    warn.append(
                        _note(
                            no,
                            lambda lang, k=key, v=n, c=cap: tr(
                                lang, "{key}:{n}: musl caps {key} at {cap}", key=k, n=v, cap=c
                            ),
                        )
                    )
                value = min(n, cap)
                if key == "ndots":
                    ndots = value
                elif key == "attempts":
                    attempts = value
                else:
                    timeout = value
            for word in rest.split():
                base = word.split(":", 1)[0]
                if base in ("ndots", "attempts", "timeout"):
                    continue
                if any(word.startswith(n) for n in MUSL_IGNORED_OPTIONS):
                    warn.append(
                        _note(
                            no,
                            lambda lang, w=word: tr(
                                lang, "option {word!r}: musl does not implement it", word=w
                            ),
                        )
                    )
                else:
                    warn.append(
                        _note(
                            no,
                            lambda lang, w=word: tr(
                                lang, "unknown option {word!r}: musl ignores it", word=w
                            ),
                        )
                    )
        elif (rest := _keyword(line, "nameserver", "musl")) is not None:
            words = rest.split()
            addr = normalize_address(words[0]) if words else None
            if len(servers) >= MAXNS:
                warn.append(
                    _note(
                        no, lambda lang: tr(lang, "nameserver ignored: musl uses only {n}", n=MAXNS)
                    )
                )
            elif addr is None:
                warn.append(_not_an_address(no, rest))
            else:
                servers.append(addr)
        elif (
            rest := _keyword(line, "search", "musl") or _keyword(line, "domain", "musl")
        ) is not None:
            # musl keeps the whole rest of the line, for `domain` too, and splits it later.
            search_text = rest
    configured = bool(servers)
    return ResolvConf(
        libc="musl",
        nameservers=tuple(servers) or ("127.0.0.1",),
        search=tuple(search_text.split()),
        options=Options(ndots=ndots, timeout=timeout, attempts=attempts),
        warnings=tuple(warn),
        source=source,
        nameservers_configured=configured,
    )


def with_options(conf: ResolvConf, **changes: int | bool) -> ResolvConf:
    """A copy of ``conf`` with some options changed (for what-if questions)."""
    return replace(conf, options=replace(conf.options, **changes))


def render_resolv_conf(
    nameservers: tuple[str, ...] | list[str],
    search: tuple[str, ...] | list[str],
    options: tuple[str, ...] | list[str],
) -> str:
    """resolv.conf text in containerd's CRI plugin order: search, nameservers, options."""
    lines = []
    if search:
        lines.append("search " + " ".join(search))
    lines += [f"nameserver {ns}" for ns in nameservers]
    if options:
        lines.append("options " + " ".join(options))
    return "".join(line + "\n" for line in lines)
