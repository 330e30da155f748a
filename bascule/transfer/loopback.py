"""Rehearsal servers on 127.0.0.1: Azurite (the source), Swift with tempauth and memcached
(the target), each started in a directory of its own on free ports and stopped by pid.

Swift is Debian's (2.30): account, container, object and proxy servers, one replica on a
directory, rings built with swift-ring-builder, the proxy with tempauth, versioning and the
keymaster + encryption middleware (objects encrypted at rest). Swift reads swift.conf from
/etc/swift only; each server here is started by Debian's Python through Swift's own
`run_wsgi` with that path pointed at the rehearsal's swift.conf, which declares the storage
policies (`Policy-0`, the default, and `encrypted`). Used by the tests and bench/transfer.py.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import getpass
import os
import pickle
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from bascule.transfer.blob import BlobClient
from bascule.transfer.model import Plan
from bascule.transfer.swift import HttpClient

ROOT = Path(__file__).resolve().parents[2]
AZURITE_BIN = ROOT / ".ci" / "node" / "node_modules" / ".bin" / "azurite-blob"
SWIFT_SERVERS = ("account", "container", "object")
POLICIES = ("Policy-0", "encrypted")
SWIFT_ACCOUNT, SWIFT_USER = "hdh", "transfer"
SWIFT_USERS = 24  # tempauth accounts: one per rehearsal
START_TIMEOUT_S = 120.0
LAUNCH = (
    "import sys; import swift.common.utils as u; u.SWIFT_CONF_FILE = sys.argv[1]; "
    "from swift.common.wsgi import run_wsgi; "
    "sys.exit(run_wsgi(sys.argv[2], sys.argv[3], verbose=True))"
)


def _swift_python() -> str | None:
    proxy = shutil.which("swift-proxy-server")
    if not proxy:
        return None
    first = Path(proxy).read_text(encoding="utf-8", errors="replace").splitlines()[0]
    return first[2:].strip().split()[0] if first.startswith("#!") else None


def missing_tools() -> str | None:
    """Why the rehearsal servers cannot start here, or None."""
    azurite = os.environ.get("BASCULE_AZURITE") or str(AZURITE_BIN)
    needs = {
        "azurite-blob (npm install --prefix .ci/node azurite; see .ci/run)": Path(azurite).exists(),
        "memcached (apt-get install memcached)": bool(shutil.which("memcached")),
        "swift-ring-builder, swift-proxy-server (apt-get install swift swift-proxy "
        "swift-account swift-container swift-object)": bool(shutil.which("swift-ring-builder"))
        and bool(_swift_python()),
        "rclone (apt-get install rclone)": bool(shutil.which("rclone")),
    }
    absent = [name for name, found in needs.items() if not found]
    return "not installed: " + "; ".join(absent) if absent else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{log.name}: exited {process.returncode}: {_tail(log)}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.2)
    raise RuntimeError(f"{log.name}: not listening on {port} after {START_TIMEOUT_S:.0f} s")


def _tail(log: Path) -> str:
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    return " | ".join(lines[-3:])


@dataclass
class Processes:
    root: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(
        self, name: str, argv: list[str], port: int, env: dict[str, str] | None = None
    ) -> None:
        self.start_all([(name, argv, port, env)])

    def start_all(self, servers: list[tuple[str, list[str], int, dict[str, str] | None]]) -> None:
        """Start every server at once, then wait until each listens (stop all if one fails).
        They are stopped at interpreter exit too, should the caller die before its stop()."""
        if not self.processes:
            atexit.register(self.stop)
        waiting = []
        for name, argv, port, env in servers:
            log = self.root / f"{name}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env
                )
            self.processes.append(process)
            waiting.append((port, process, log))
        try:
            for port, process, log in waiting:
                _wait_port(port, process, log)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Terminate every server by its pid, then wait for it (kill after 10 s)."""
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in reversed(self.processes):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        self.processes.clear()


@dataclass
class Azurite(Processes):
    endpoint: str = ""
    account_keys: dict[str, str] = field(default_factory=dict)

    def client(self, account: str) -> BlobClient:
        return BlobClient(self.endpoint, account, self.account_keys[account])


@dataclass
class Swift(Processes):
    auth_url: str = ""
    users: list[tuple[str, str]] = field(default_factory=list)  # (account:user, key)
    hash_prefix: str = ""
    hash_suffix: str = ""

    @property
    def devices(self) -> Path:
        return self.root / "devices"


def _user() -> str:
    return os.environ.get("USER") or getpass.getuser()


def start_azurite(root: Path, accounts: list[str]) -> Azurite:
    """Azurite's blob service with these storage accounts, each with a random key."""
    keys = {a: base64.b64encode(secrets.token_bytes(64)).decode() for a in accounts}
    port = free_port()
    (root / "data").mkdir(parents=True)
    binary = os.environ.get("BASCULE_AZURITE") or str(AZURITE_BIN)
    argv = [binary, "--blobHost", "127.0.0.1", "--blobPort", str(port)]
    # Recent SDKs' API versions are refused without --skipApiVersionCheck; no telemetry.
    argv += ["--location", str(root / "data"), "--skipApiVersionCheck", "--disableTelemetry"]
    argv += ["--silent"]
    env = {**os.environ, "AZURITE_ACCOUNTS": ";".join(f"{a}:{k}" for a, k in keys.items())}
    azurite = Azurite(root)
    azurite.start("azurite", argv, port, env)
    azurite.endpoint, azurite.account_keys = f"http://127.0.0.1:{port}", keys
    return azurite


def _swift_conf(swift: Swift, etc: Path) -> None:
    swift.hash_prefix, swift.hash_suffix = secrets.token_hex(8), secrets.token_hex(8)
    lines = ["[swift-hash]", f"swift_hash_path_prefix = {swift.hash_prefix}"]
    lines.append(f"swift_hash_path_suffix = {swift.hash_suffix}")
    for index, name in enumerate(POLICIES):
        lines += [f"[storage-policy:{index}]", f"name = {name}"]
        lines += ["default = yes"] if index == 0 else []
    (etc / "swift.conf").write_text("\n".join(lines) + "\n")


# swift-ring-builder's own code (swift.cli.ringbuilder.main), every command in one process:
# twelve separate swift-ring-builder runs cost a minute of imports on a loaded machine.
RING_BUILDER = (
    "import sys; from swift.cli.ringbuilder import main\n"
    "for line in sys.stdin.read().splitlines():\n"
    "    try:\n"
    "        main(['swift-ring-builder', *line.split()])\n"
    "    except SystemExit as done:\n"
    "        if done.code not in (None, 0, 1):\n"
    "            sys.exit(f'swift-ring-builder {line}: exit {done.code}')\n"
)


def _rings(python: str, etc: Path, ports: dict[str, int]) -> None:
    rings = {"account": ports["account"], "container": ports["container"]}
    rings |= {"object": ports["object"], "object-1": ports["object"]}  # object-1: `encrypted`
    commands = []
    for ring, port in rings.items():
        builder = etc / f"{ring}.builder"
        commands += [f"{builder} create 4 1 1", f"{builder} add r1z1-127.0.0.1:{port}/d1 100"]
        commands.append(f"{builder} rebalance")
    subprocess.run(
        [python, "-c", RING_BUILDER],
        input="\n".join(commands),
        text=True,
        check=True,
        capture_output=True,
    )
    missing = [r for r in rings if not (etc / f"{r}.ring.gz").exists()]
    if missing:
        raise RuntimeError(f"swift-ring-builder made no ring for {', '.join(missing)}")


def _default_section(swift: Swift, etc: Path, port: int) -> list[str]:
    return [
        "[DEFAULT]",
        "bind_ip = 127.0.0.1",
        f"bind_port = {port}",
        "workers = 0",
        f"user = {_user()}",
        f"swift_dir = {etc}",
        f"devices = {swift.devices}",
        "mount_check = false",
        f"log_address = {swift.root}/no-syslog",
    ]


def _server_conf(swift: Swift, etc: Path, name: str, port: int) -> Path:
    lines = _default_section(swift, etc, port)
    lines += ["[pipeline:main]", f"pipeline = {name}-server", f"[app:{name}-server]"]
    lines.append(f"use = egg:swift#{name}")
    path = etc / f"{name}-server.conf"
    path.write_text("\n".join(lines) + "\n")
    return path


PROXY_FILTERS = (
    "catch_errors gatekeeper healthcheck proxy-logging cache listing_formats tempauth copy "
    "slo dlo versioned_writes symlink keymaster encryption proxy-logging"
)


def _proxy_conf(swift: Swift, etc: Path, port: int, memcached: int) -> Path:
    swift.users = [
        (f"{SWIFT_ACCOUNT}{i:02d}:{SWIFT_USER}", secrets.token_urlsafe(24))
        for i in range(SWIFT_USERS)
    ]
    root_secret = base64.b64encode(secrets.token_bytes(32)).decode()
    sections = {
        f"filter:{name}": [f"use = egg:swift#{name.replace('-', '_')}"]
        for name in PROXY_FILTERS.split()
    }
    sections |= {
        "pipeline:main": [f"pipeline = {PROXY_FILTERS} proxy-server"],
        "app:proxy-server": ["use = egg:swift#proxy", "account_autocreate = true"],
        "filter:cache": ["use = egg:swift#memcache", f"memcache_servers = 127.0.0.1:{memcached}"],
        "filter:tempauth": [
            "use = egg:swift#tempauth",
            *(f"user_{user.replace(':', '_')} = {key} .admin" for user, key in swift.users),
        ],
        "filter:versioned_writes": [
            "use = egg:swift#versioned_writes",
            "allow_object_versioning = true",
        ],
        "filter:keymaster": [
            "use = egg:swift#keymaster",
            f"encryption_root_secret = {root_secret}",
        ],
    }
    lines = _default_section(swift, etc, port)
    for section, values in sorted(sections.items()):
        lines += [f"[{section}]", *values]
    path = etc / "proxy-server.conf"
    path.write_text("\n".join(lines) + "\n")
    return path


def start_swift(root: Path) -> Swift:
    """Swift on a directory, with SWIFT_USERS tempauth accounts (one per rehearsal)."""
    swift = Swift(root)
    etc = root / "etc"
    etc.mkdir(parents=True)
    (swift.devices / "d1").mkdir(parents=True)
    ports = {name: free_port() for name in (*SWIFT_SERVERS, "proxy", "memcached")}
    python = _swift_python() or "/usr/bin/python3"
    _swift_conf(swift, etc)
    _rings(python, etc, ports)
    memcached = ports["memcached"]
    # memcached refuses to run as root without -u; tempauth keeps its tokens there.
    argv = ["memcached", "-u", _user(), "-l", "127.0.0.1", "-p", str(memcached), "-U", "0"]
    swift.start("memcached", argv, memcached)
    confs = {name: _server_conf(swift, etc, name, ports[name]) for name in SWIFT_SERVERS}
    confs["proxy"] = _proxy_conf(swift, etc, ports["proxy"], memcached)
    swift_conf = str(etc / "swift.conf")
    swift.start_all(
        [
            (
                f"swift-{name}",
                [python, "-c", LAUNCH, swift_conf, str(conf), f"{name}-server"],
                ports[name],
                None,
            )
            for name, conf in confs.items()
        ]
    )
    swift.auth_url = f"http://127.0.0.1:{ports['proxy']}/auth/v1.0"
    return swift


@dataclass(frozen=True)
class Rehearsal:
    """A source (Azurite) and one tempauth account of a Swift: one wave's two sides."""

    azurite: Azurite
    swift: Swift
    user: tuple[str, str]


def swift_token(r: Rehearsal) -> tuple[str, str]:
    """(storage URL, token) of the rehearsal's tempauth user."""
    headers = {"X-Auth-User": r.user[0], "X-Auth-Key": r.user[1]}
    response = HttpClient().request("GET", r.swift.auth_url, headers)
    response.read()
    return response.getheader("X-Storage-Url") or "", response.getheader("X-Auth-Token") or ""


def swift_request(
    r: Rehearsal, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
) -> int:
    storage, token = swift_token(r)
    all_headers = {"X-Auth-Token": token, "Content-Length": str(len(body)), **(headers or {})}
    response = HttpClient().request(method, f"{storage}/{path}", all_headers, body)
    response.read()
    return response.status


def provision_target(r: Rehearsal, plan: Plan) -> None:
    """The target containers as the program declares them (what `pulumi up` creates)."""
    for dataset in plan.datasets:
        target = dataset.target
        headers = {"X-Storage-Policy": target.storage_policy}
        if target.versioned:
            headers["X-Versions-Enabled"] = "true"
        if target.key:
            headers["X-Container-Meta-Kms-Key"] = target.key
        if target.key_store:
            headers["X-Container-Meta-Kms-Store"] = target.key_store
        status = swift_request(r, "PUT", target.container, headers)
        if status not in (201, 202, 204):
            raise RuntimeError(f"PUT container {target.container}: HTTP {status}")


def rehearsal_environment(r: Rehearsal, plan: Plan) -> dict[str, str]:
    """The plan's identity variables for the rehearsal: a read-only SAS per dataset (sas
    source auth) and the tempauth user (tempauth target auth)."""
    env: dict[str, str] = {}
    for job in plan.jobs:
        for dataset in job.datasets:
            variable = job.source_identity.env[f"sasUrl:{dataset.name}"]
            client = r.azurite.client(dataset.source.account)
            env[variable] = client.sas_url(dataset.source.container, "rl")
        env[job.target_identity.env["user"]], env[job.target_identity.env["key"]] = r.user
    return env


def _stored(path: Path) -> tuple[str, bool]:
    """The object path Swift recorded for a .data file, and whether it is a symlink."""
    raw, index = b"", 0
    while True:
        key = "user.swift.metadata" + (str(index) if index else "")
        try:
            raw += os.getxattr(path, key)
        except OSError:
            break
        index += 1
    # Written by this rehearsal's own object server a moment ago: trusted data.
    metadata = pickle.loads(raw) if raw else {}
    name = metadata.get(b"name", b"")
    symlink = any(k.lower().startswith(b"x-object-sysmeta-symlink") for k in metadata)
    return name.decode("utf-8", "replace"), symlink


def object_data_files(r: Rehearsal, container: str, name: str) -> list[Path]:
    """The .data files of an object on the rehearsal's disk, oldest first (to corrupt one in a
    test). In a versioned container the data sits in Swift's hidden versions container and
    the object's own name is a symlink to it."""
    account = swift_token(r)[0].rstrip("/").rsplit("/", 1)[-1]
    plain = f"/{account}/{container}/{name}"
    versioned = f"/{account}/\x00versions\x00{container}/\x00{name}\x00"
    found = []
    for path in r.swift.devices.glob("d1/objects*/*/*/*/*.data"):
        stored, symlink = _stored(path)
        if (stored == plain and not symlink) or stored.startswith(versioned):
            found.append(path)
    return sorted(found, key=lambda p: p.name)
