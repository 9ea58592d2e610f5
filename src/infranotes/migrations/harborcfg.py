"""``harbor.cfg`` from Harbor 0.5 to Harbor 1.5: parse the old installer configuration, write
the new one, and say what moved where.

``harbor.cfg`` is the installer's ``key = value`` file that ``./prepare`` turns into each
container's configuration. Two things changed between 0.5 and 1.5:

* **New settings** with defaults: the file now carries its own ``_version``, the external
  database (``db_host``, ``db_port``, ``db_user``), Redis, Clair's database, log rotation,
  proxies for Clair, UAA, LDAP groups, and the registry's storage backend. Their defaults here
  are the 1.5 installer's (Harbor's ``make/harbor.cfg`` of 1.5 and the migrator's
  ``tools/migration/cfg/migrator_1_5_0``).
* **The adminserver** (Harbor 1.1 and later) holds the system configuration — email, the
  authentication mode and LDAP, self-registration, token lifetime, who may create projects —
  and the UI and job service ask it for them. Those settings sit in the file's "initial
  properties" block: read once, when the adminserver starts with an empty store, and edited
  in the UI afterwards. A 0.5 installation has no adminserver, so its first 1.x start *is*
  that first start: the values are carried over (as Harbor's own 0.5 → 1.1 converter,
  ``tools/migration/migration_cfg/upgrade``, did), and :attr:`Conversion.adminserver` lists
  them, because editing them in this file later changes nothing.
* **Gone**: ``use_compressed_js``, ``verify_remote_cert`` (a per-target "insecure" flag
  since 1.3, ``replication_target.insecure`` in schema 1.3.0), and the ``crt_*``
  certificate-subject fields: none of them is in the 1.5 file.
* **Changed meaning**: ``ldap_scope`` was numbered 1 base, 2 one level, 3 subtree (the 0.5/1.1
  template's comment) and is numbered 0, 1, 2 in 1.5's, so the value is shifted by one.

No key was renamed between the two files; the settings without a 1.5 counterpart are listed
in :attr:`Conversion.removed` with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from infranotes.errors import ParseError

KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
TARGET_VERSION = "1.5.0"


@dataclass(frozen=True)
class Setting:
    key: str
    value: str
    line: int


@dataclass(frozen=True)
class HarborCfg:
    """A parsed ``harbor.cfg``: its settings in file order (comments and blank lines are not
    kept) and, from 1.5 on, the ``_version`` the file declares."""

    source: str
    settings: tuple[Setting, ...]

    @property
    def values(self) -> dict[str, str]:
        return {s.key: s.value for s in self.settings}

    @property
    def version(self) -> str | None:
        return self.values.get("_version")


def parse(text: str, source: str = "harbor.cfg") -> HarborCfg:
    """Parse ``key = value`` lines; ``#`` starts a comment line. The value is everything after
    the first ``=``, trimmed (``email_from = admin <a@b>`` keeps its spaces and brackets)."""
    settings: list[Setting] = []
    seen: dict[str, int] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if "=" not in line:
            raise ParseError(
                f"no '=' in {line[:40]!r}", source=source, line=n, expected="key = value"
            )
        key, value = (part.strip() for part in line.split("=", 1))
        if not KEY.match(key):
            raise ParseError(
                f"bad key {key[:40]!r}", source=source, line=n, expected="a name like hostname"
            )
        if key in seen:
            raise ParseError(
                f"{key} is set again (first on line {seen[key]})",
                source=source,
                line=n,
                expected="each key once",
            )
        seen[key] = n
        settings.append(Setting(key, value, n))
    return HarborCfg(source, tuple(settings))


# The 1.5 file, in the installer's order: (key, 1.5 default). ``None``: no default, the key
# must come from the old file.
LAYOUT_15: list[tuple[str, str | None]] = [
    ("_version", TARGET_VERSION),
    ("hostname", None),
    ("ui_url_protocol", "http"),
    ("max_job_workers", "50"),
    ("customize_crt", "on"),
    ("ssl_cert", "/data/cert/server.crt"),
    ("ssl_cert_key", "/data/cert/server.key"),
    ("secretkey_path", "/data"),
    ("admiral_url", "NA"),
    ("log_rotate_count", "50"),
    ("log_rotate_size", "200M"),
    ("http_proxy", ""),
    ("https_proxy", ""),
    ("no_proxy", "127.0.0.1,localhost,ui"),
    # initial properties: imported by the adminserver on its first start
    ("email_identity", ""),
    ("email_server", "smtp.mydomain.com"),
    ("email_server_port", "25"),
    ("email_username", "sample_admin@mydomain.com"),
    ("email_password", "abc"),
    ("email_from", "admin <sample_admin@mydomain.com>"),
    ("email_ssl", "false"),
    ("email_insecure", "false"),
    ("harbor_admin_password", "Harbor12345"),
    ("auth_mode", "db_auth"),
    ("ldap_url", "ldaps://ldap.mydomain.com"),
    ("ldap_searchdn", None),
    ("ldap_search_pwd", None),
    ("ldap_basedn", "ou=people,dc=mydomain,dc=com"),
    ("ldap_filter", None),
    ("ldap_uid", "uid"),
    ("ldap_scope", "2"),
    ("ldap_timeout", "5"),
    ("ldap_verify_cert", "true"),
    ("ldap_group_basedn", "ou=group,dc=mydomain,dc=com"),
    ("ldap_group_filter", "objectclass=group"),
    ("ldap_group_gid", "cn"),
    ("ldap_group_scope", "2"),
    ("self_registration", "on"),
    ("token_expiration", "30"),
    ("project_creation_restriction", "everyone"),
    # end of the initial properties
    ("db_host", "mysql"),
    ("db_password", "root123"),
    ("db_port", "3306"),
    ("db_user", "root"),
    ("redis_url", ""),
    ("clair_db_host", "postgres"),
    ("clair_db_password", "password"),
    ("clair_db_port", "5432"),
    ("clair_db_username", "postgres"),
    ("clair_db", "postgres"),
    ("uaa_endpoint", "uaa.mydomain.org"),
    ("uaa_clientid", "id"),
    ("uaa_clientsecret", "secret"),
    ("uaa_verify_cert", "true"),
    ("uaa_ca_cert", "/path/to/ca.pem"),
    ("registry_storage_provider_name", "filesystem"),
    ("registry_storage_provider_config", ""),
]
FIRST_INITIAL, LAST_INITIAL = "email_identity", "project_creation_restriction"
_keys = [k for k, _ in LAYOUT_15]
ADMINSERVER = tuple(_keys[_keys.index(FIRST_INITIAL) : _keys.index(LAST_INITIAL) + 1])
# Keys a 0.5 file has, and the reason each one without a 1.5 counterpart is dropped.
REMOVED = {
    "use_compressed_js": "not in 1.5's harbor.cfg",
    "verify_remote_cert": "per replication target since 1.3 (replication_target.insecure)",
    "secret_key": "not in 1.5's harbor.cfg (the key is the file secretkey under secretkey_path)",
    **{
        f"crt_{part}": "not in 1.5's harbor.cfg"
        for part in (
            "country",
            "state",
            "location",
            "organization",
            "organizationalunit",
            "commonname",
            "email",
        )
    },
}
KNOWN_05 = {
    "hostname", "ui_url_protocol", "email_identity", "email_server", "email_server_port",
    "email_username", "email_password", "email_from", "email_ssl", "harbor_admin_password",
    "auth_mode", "ldap_url", "ldap_searchdn", "ldap_search_pwd", "ldap_basedn", "ldap_filter",
    "ldap_uid", "ldap_scope", "db_password", "self_registration", "max_job_workers",
    "token_expiration", "customize_crt", "project_creation_restriction", "ssl_cert",
    "ssl_cert_key", *REMOVED,
}  # fmt: skip
# the old ldap_scope numbering (1 base, 2 one level, 3 subtree) → the 1.5 one (0, 1, 2)
LDAP_SCOPE = {"1": "0", "2": "1", "3": "2"}


@dataclass(frozen=True)
class Conversion:
    """A 0.5 ``harbor.cfg`` written as a 1.5 one, and what happened to each setting."""

    text: str
    carried: tuple[str, ...]
    added: tuple[tuple[str, str], ...]
    changed: tuple[tuple[str, str, str, str], ...]
    removed: tuple[tuple[str, str, str], ...]
    adminserver: tuple[str, ...]
    unknown: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, object]:
        return {
            "from_version": "0.5",
            "to_version": TARGET_VERSION,
            "carried": list(self.carried),
            "added": [{"key": k, "value": v} for k, v in self.added],
            "changed": [{"key": k, "old": o, "new": n, "why": w} for k, o, n, w in self.changed],
            "removed": [{"key": k, "value": v, "why": w} for k, v, w in self.removed],
            "adminserver": list(self.adminserver),
            "unknown": list(self.unknown),
            "cfg": self.text,
        }


def convert(old: HarborCfg) -> Conversion:
    """Write ``old`` (a Harbor 0.5 ``harbor.cfg``) as a 1.5 one."""
    values = old.values
    if old.version is not None:
        raise ParseError(
            f"declares _version = {old.version}",
            source=old.source,
            line=next(s.line for s in old.settings if s.key == "_version"),
            expected="a Harbor 0.5 harbor.cfg, which has no _version",
        )
    if "hostname" not in values:
        raise ParseError(
            "no hostname: not a Harbor harbor.cfg", source=old.source, expected="hostname = …"
        )
    carried, added, changed = [], [], []
    out = ["## harbor.cfg for Harbor 1.5, converted from a 0.5 one by infranotes", ""]
    for key, default in LAYOUT_15:
        if key == FIRST_INITIAL:
            out += ["", "## Initial properties: read by the adminserver on its first start only;",
                    "## afterwards change them in the web UI.", ""]  # fmt: skip
        if key in values:
            value = values[key]
            if key == "ldap_scope" and value in LDAP_SCOPE:
                new = LDAP_SCOPE[value]
                changed.append((key, value, new, "numbered 0-2 in 1.5, 1-3 in 0.5"))
                value = new
            carried.append(key)
            out.append(f"{key} = {value}")
        elif default is not None:
            if key != "_version":
                added.append((key, default))
            out.append(f"{key} = {default}")
        if key == LAST_INITIAL:
            out += ["", "## End of the initial properties", ""]
    removed = [(k, values[k], why) for k, why in REMOVED.items() if k in values]
    unknown = [k for k in values if k not in KNOWN_05]
    return Conversion(
        "\n".join(out) + "\n",
        tuple(carried),
        tuple(added),
        tuple(changed),
        tuple(removed),
        tuple(k for k in ADMINSERVER if k in values),
        tuple(unknown),
    )
