"""harbor.cfg 0.5 → 1.5: our samples of each version (tests/data/harbor/harbor-*.cfg)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infranotes.cli import main
from infranotes.errors import ParseError
from infranotes.migrations import harborcfg

DATA = Path(__file__).parent.parent / "data" / "harbor"
OLD = DATA / "harbor-0.5.cfg"
NEW = DATA / "harbor-1.5.cfg"


def _parse(path: Path) -> harborcfg.HarborCfg:
    return harborcfg.parse(path.read_text(), str(path))


def test_parse_keeps_values_as_written() -> None:
    old = _parse(OLD)
    v = old.values
    assert old.version is None and len(v) == 34
    assert v["email_from"] == "Harbor <harbor@example.internal>"
    assert v["email_identity"] == "" and "ldap_filter" not in v  # commented out
    assert next(s.line for s in old.settings if s.key == "hostname") == 4
    assert _parse(NEW).version == "1.5.0"


def test_converted_0_5_has_exactly_the_keys_of_a_1_5_file() -> None:
    conv = harborcfg.convert(_parse(OLD))
    out = harborcfg.parse(conv.text, "converted")
    new = _parse(NEW).values
    # the 1.5 sample has no LDAP search account; the 0.5 one has, and it is carried over
    assert set(out.values) == set(new) | {"ldap_searchdn", "ldap_search_pwd"}
    assert out.version == "1.5.0"
    old = _parse(OLD).values
    for key in conv.carried:
        if key != "ldap_scope":
            assert out.values[key] == old[key], key
    assert conv.changed == (("ldap_scope", "3", "2", "numbered 0-2 in 1.5, 1-3 in 0.5"),)
    assert out.values["db_host"] == "mysql" and out.values["log_rotate_size"] == "200M"
    assert [k for k, _, _ in conv.removed] == [
        "use_compressed_js", "verify_remote_cert", "crt_country", "crt_state",
        "crt_location", "crt_organization", "crt_organizationalunit", "crt_commonname",
        "crt_email",
    ]  # fmt: skip
    assert conv.unknown == ()
    assert set(conv.carried) | {k for k, _, _ in conv.removed} == set(old)


def test_the_settings_that_moved_to_the_adminserver() -> None:
    conv = harborcfg.convert(_parse(OLD))
    assert conv.adminserver[0] == "email_identity" and len(conv.adminserver) == 18
    assert {"auth_mode", "ldap_url", "self_registration", "harbor_admin_password"} <= set(
        conv.adminserver
    )
    assert not {"hostname", "db_password", "max_job_workers"} & set(conv.adminserver)
    text = conv.text
    assert text.index("## Initial properties") < text.index("email_identity =")
    assert text.index("project_creation_restriction = adminonly") < text.index("## End of")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("hostname = a\nnot a setting\n", 2, "no '=' in 'not a setting' (expected key = value)"),
        ("# c\n\nhost name = a\n", 3, "bad key 'host name'"),
        ("hostname = a\nhostname = b\n", 2, "hostname is set again (first on line 1)"),
    ],
)
def test_bad_input_names_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(ParseError) as info:
        harborcfg.parse(text, "x.cfg")
    assert info.value.line == line and message in str(info.value)
    assert str(info.value).startswith(f"x.cfg:{line}: ")


def test_a_1_5_file_or_no_hostname_is_refused() -> None:
    with pytest.raises(ParseError, match=r"harbor-1\.5\.cfg:2: declares _version = 1\.5\.0"):
        harborcfg.convert(_parse(NEW))
    with pytest.raises(ParseError, match="no hostname"):
        harborcfg.convert(harborcfg.parse("db_password = x\n"))


def test_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["migrate", "cfg", "--from", str(OLD)]) == 0
    out, err = capsys.readouterr()
    assert harborcfg.parse(out).version == "1.5.0"
    assert "changed ldap_scope: 3 -> 2" in err
    assert "held by the adminserver after its first start: email_identity," in err
    assert main(["migrate", "cfg", "--from", str(OLD), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["to_version"] == "1.5.0" and doc["cfg"] == out
    assert {"key": "db_host", "value": "mysql"} in doc["added"]
    bad = tmp_path / "bad.cfg"
    bad.write_text("hostname = a\n= b\n")
    assert main(["migrate", "cfg", "--from", str(bad)]) == 2
    assert (
        capsys.readouterr().err
        == f"infranotes: {bad}:2: bad key '' (expected a name like hostname)\n"
    )
    assert main(["migrate", "cfg"]) == 2
    assert "--from FILE is required" in capsys.readouterr().err
