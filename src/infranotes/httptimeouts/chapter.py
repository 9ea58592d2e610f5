"""The tables and lines notebook 09 shows, in English (as they always read) or Chinese.

Each function takes ``lang`` and is shown with :func:`infranotes.i18n.bilingual`. Names from
the model that the code compares (phases, ``deadline``/``per-operation``, misbehaviours,
settings) stay data there and are put into Chinese here, when a table is drawn; the model's
prose is marked with ``tr("en", ...)`` where it is written and read back with
:func:`~infranotes.httptimeouts.messages.data`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from infranotes.httptimeouts import model
from infranotes.httptimeouts.keepalive import KeepAliveRun
from infranotes.httptimeouts.messages import data, tr
from infranotes.httptimeouts.peers import MODES
from infranotes.httptimeouts.scenarios import GO_STACKS, Measurement, note
from infranotes.table import Table


def phase(name: str, lang: str = "en") -> str:
    """One phase of :data:`model.CLIENT_PHASES` or :data:`model.SERVER_PHASES`."""
    return {
        "dial": tr(lang, "dial"),
        "tls": tr(lang, "tls"),
        "request headers": tr(lang, "request headers"),
        "wait for 100": tr(lang, "wait for 100"),
        "request body": tr(lang, "request body"),
        "response headers": tr(lang, "response headers"),
        "response body": tr(lang, "response body"),
        "idle in pool": tr(lang, "idle in pool"),
        "accept": tr(lang, "accept"),
        "handler": tr(lang, "handler"),
        "response": tr(lang, "response"),
        "idle (keep-alive)": tr(lang, "idle (keep-alive)"),
    }[name]


def kind(name: str, lang: str = "en") -> str:
    """How a timeout counts: :attr:`model.Timeout.kind`."""
    return {"deadline": tr(lang, "deadline"), "per-operation": tr(lang, "per-operation")}[name]


def _series(items: Iterable[str], lang: str) -> str:
    """A list in running text: "a, b, c"; Chinese enumerates with the enumeration comma."""
    return ("、" if lang == "zh" else ", ").join(items)


def _parts(items: Iterable[str], lang: str) -> str:
    """Clauses side by side: "a; b", in Chinese with the full-width semicolon."""
    return ("；" if lang == "zh" else "; ").join(items)


def timeouts_table(stacks: Sequence[str], *, lang: str = "en") -> Table:
    """The model as a table: each timeout, what it covers, how it counts, its default."""
    rows = [
        [
            t.stack,
            t.name,
            _series((phase(p, lang) for p in t.covers), lang),
            kind(t.kind, lang),
            tr(lang, "none") if t.default is None else f"{t.default:g} s",
            data(lang, t.note),
        ]
        for s in stacks
        for t in model.timeouts(s)
    ]
    header = [
        tr(lang, "stack"),
        tr(lang, "timeout"),
        tr(lang, "covers"),
        tr(lang, "counts"),
        tr(lang, "default"),
        tr(lang, "note"),
    ]
    return Table(header, rows)


def traps_table(*, lang: str = "en") -> Table:
    """The well-known surprises of :data:`model.TRAPS`, each with its source."""
    header = [tr(lang, "trap"), tr(lang, "stack"), tr(lang, "what happens"), tr(lang, "source")]
    rows = [[data(lang, t.title), t.stack, data(lang, t.detail), t.source] for t in model.TRAPS]
    return Table(header, rows)


def modes_table(*, lang: str = "en") -> Table:
    """The misbehaving peers of :data:`~infranotes.httptimeouts.peers.MODES`, by name."""
    rows = [(mode, data(lang, does)) for mode, does in sorted(MODES.items())]
    return Table([tr(lang, "mode"), tr(lang, "what the peer does")], rows)


def _conf(m: Measurement, lang: str) -> str:
    return ", ".join(f"{k}={v:g}s" for k, v in m.scenario.configured) or tr(lang, "none set")


def _seconds(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def _agree(m: Measurement, lang: str) -> str:
    verdict = tr(lang, "yes") if m.agrees else tr(lang, "NO")
    return verdict + (tr(lang, " (2nd run)") if m.first_try else "")


def _fired(fired: str | None, lang: str) -> str:
    """What a run measured: a client's setting (a name), or a server's close or hold."""
    if fired is None:
        return tr(lang, "nothing (held / hung)")
    return tr(lang, "closed") if fired == "closed" else fired


def measurements_table(ms: Sequence[Measurement], *, lang: str = "en") -> Table:
    """Every scenario: configured timeouts, the model's prediction and what was measured.

    The error / reply column quotes clients' errors and servers' replies as they came; what a
    server run saw (held, no response, the handler's error) is said in ``lang``."""
    rows = []
    for m in ms:
        pred = m.predicted.fired or tr(lang, "nothing (hangs)")
        seen = _fired(m.fired, lang)
        said = note(m.seen, lang) if m.seen is not None else (m.error or "")
        rows.append(
            [
                m.scenario.stack,
                m.scenario.misbehaviour,
                _conf(m, lang),
                f"{pred} @ {_seconds(m.predicted.after)}",
                f"{seen} @ {_seconds(m.after)}",
                _agree(m, lang),
                said[:90],
            ]
        )
    header = [
        tr(lang, "stack"),
        tr(lang, "misbehaviour"),
        tr(lang, "configured"),
        tr(lang, "model"),
        tr(lang, "measured"),
        tr(lang, "agree"),
        tr(lang, "error / reply"),
    ]
    return Table(header, rows)


def summary_table(ms: Sequence[Measurement], *, lang: str = "en") -> Table:
    """ "This misbehaviour → this timeout", for Go and for Python, filled by measurement:
    each cell names the settings that ended the stall in a run, with the measured time, or
    says which settings did not."""
    cells: dict[tuple[str, str], list[str]] = {}
    for m in ms:
        family = "Go" if m.scenario.stack in GO_STACKS else "Python"
        stack, conf = m.scenario.stack, _conf(m, lang)
        if m.fired is None and m.error and m.error[:3].isdigit():
            text = tr(lang, "{stack} {conf}: answered, nothing had to fire", stack=stack, conf=conf)
        elif m.fired is None:
            text = tr(lang, "{stack} {conf}: no", stack=stack, conf=conf)
        else:
            name = m.predicted.fired or m.fired
            text = f"{stack} {name}: {m.after:.2f}s"
        cells.setdefault((m.scenario.misbehaviour, family), []).append(text)
    rows = []
    for mb in model.MISBEHAVIOURS:
        go = _parts(cells.get((mb.name, "Go"), []), lang) or "—"
        py = _parts(cells.get((mb.name, "Python"), []), lang) or "—"
        if go == "—" and py == "—":
            continue
        rows.append([mb.name, data(lang, mb.description), go, py])
    header = [
        tr(lang, "misbehaviour"),
        tr(lang, "what the peer does"),
        tr(lang, "Go (measured)"),
        tr(lang, "Python (measured)"),
    ]
    return Table(header, rows)


def dialer_table(sockets: Mapping[str, Mapping[str, int]], *, lang: str = "en") -> Table:
    """What ``net.Dialer{KeepAlive: period}`` set on its socket, one row per period
    (:func:`~infranotes.httptimeouts.keepalive.go_dialer_socket` of each)."""
    header = [
        "Dialer.KeepAlive",
        "SO_KEEPALIVE",
        tr(lang, "idle (s)"),
        tr(lang, "interval (s)"),
        tr(lang, "probes"),
    ]
    rows = [
        (period, s["keepalive"], s["idle_s"], s["interval_s"], s["count"])
        for period, s in sockets.items()
    ]
    return Table(header, rows)


def keepalive_table(runs: Sequence[KeepAliveRun], *, lang: str = "en") -> Table:
    """The keep-alive lab's two peers: probes sent, and when (if ever) the connection ended.

    The lab watches each connection for 6 s (:func:`~infranotes.httptimeouts.keepalive.measure`)."""
    scenario = {"process hung": tr(lang, "process hung"), "host gone": tr(lang, "host gone")}
    rows = [
        (
            scenario[r.scenario],
            r.probes_sent,
            tr(lang, "still open at 6 s")
            if r.ended_after_s is None
            else f"{r.ended_after_s:.1f} s",
            r.error or "-",
        )
        for r in runs
    ]
    header = [
        tr(lang, "peer"),
        tr(lang, "probes sent"),
        tr(lang, "connection ended after"),
        tr(lang, "error"),
    ]
    return Table(header, rows)


def exit_status(code: int, *, lang: str = "en") -> str:
    """The line under the CLI's output: its exit status."""
    return tr(lang, "exit {code}", code=code)
