"""What an instance's user data does to password logins (pure, standard library only).

User data reaches cloud-init as plain text, base64 (Azure `customData`/`userData`, often
OpenStack too), gzip-compressed, or a MIME multi-part archive of cloud-configs and shell
scripts. Every layer is opened, then each part is searched for the ways to turn password
login on: `ssh_pwauth` true in any YAML/JSON spelling, `chpasswd`, a default `password`,
`passwd`/`hashed_passwd`/`plain_text_passwd` for a user, `lock_passwd: false`, and in
scripts or written files `PasswordAuthentication yes`, `KbdInteractiveAuthentication yes`,
`ChallengeResponseAuthentication yes`, `chpasswd`, `passwd --stdin`, `usermod -p`.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import io
import re
from email import message_from_string

MAX_BYTES = 1 << 20  # user data is limited to 64 KiB by Nova and Azure; never inflate past 1 MiB

TRUE = r"""["']?(?:true|yes|on|1|y)["']?"""
FALSE = r"""["']?(?:false|no|off|0|n)["']?"""
KEY = r"""(?:^|[\s{,"'-])["']?NAME["']?\s*[:=]\s*"""
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.IGNORECASE | re.MULTILINE))
    for label, pattern in (
        ("ssh_pwauth is on", KEY.replace("NAME", "ssh_pwauth") + TRUE + r"\s*(?:$|[,}#])"),
        (
            "a chpasswd block changes passwords",
            KEY.replace("NAME", "chpasswd") + r"(?!\s*(?:null|~)\s*$)",
        ),
        ("a default password is set", r"""(?:^|[{,])\s*["']?password["']?\s*:\s*\S"""),
        ("a user gets a password", KEY.replace("NAME", r"(?:hashed_|plain_text_)?passwd") + r"\S"),
        ("lock_passwd is false", KEY.replace("NAME", "lock_passwd") + FALSE + r"\s*(?:$|[,}#])"),
        (
            "sshd allows passwords",
            r"(?:PasswordAuthentication|KbdInteractiveAuthentication|"
            r"ChallengeResponseAuthentication|PermitEmptyPasswords)[\s=\"']+yes\b",
        ),
        (
            "a script sets a password",
            r"\b(?:chpasswd\b(?!\s*:)|passwd\s+--stdin|usermod\s+(?:-\S*\s+)*-p\b)",
        ),
    )
)


def _decoded(data: bytes) -> bytes:
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
                return stream.read(MAX_BYTES)
        except (OSError, EOFError):
            return data
    return data


def _unbase64(text: str) -> bytes | None:
    compact = re.sub(r"\s+", "", text)
    if len(compact) < 8 or not re.fullmatch(r"[A-Za-z0-9+/_-]+={0,2}", compact):
        return None
    padded = compact + "=" * (-len(compact) % 4)
    try:
        if "-" in compact or "_" in compact:
            return base64.urlsafe_b64decode(padded)
        return base64.b64decode(padded)
    except (binascii.Error, ValueError):
        return None


def texts(value: str, depth: int = 0) -> list[str]:
    """Every readable text the user data holds: itself, its base64/gzip content, its MIME parts."""
    out = [value]
    raw = _unbase64(value)
    if raw is not None:
        inner = _decoded(raw)
        try:
            decoded = inner.decode("utf-8")
        except UnicodeDecodeError:
            decoded = ""
        if decoded and depth < 3:
            out += texts(decoded, depth + 1)
    if "content-type:" in value.lower() and "multipart" in value.lower() and depth < 3:
        message = message_from_string(value)
        for part in message.walk():
            if part.is_multipart():
                continue
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                text = _decoded(payload).decode("utf-8", errors="replace")
                out += texts(text, depth + 1)
    return out


def password_logins(value: str) -> list[str]:
    """What in the user data turns password login on (labels, in a fixed order)."""
    found: list[str] = []
    for text in texts(value[:MAX_BYTES]):
        for label, pattern in PATTERNS:
            if label not in found and pattern.search(text):
                found.append(label)
    return [label for label, _ in PATTERNS if label in found]
