"""Pulumi's passphrase secrets manager, offline: decrypt (and encrypt) `secure:` config values.

Same scheme as pulumi/pulumi `sdk/go/common/resource/config/crypt.go` and
`pkg/secrets/passphrase/manager.go`: key = PBKDF2-HMAC-SHA256(passphrase, salt, 1e6, 32 bytes),
values are AES-256-GCM as `v1:<b64 nonce>:<b64 ciphertext>`, and the stack's `encryptionsalt`
is `v1:<b64 salt>:<the encryption of "pulumi">`, which proves the passphrase is right.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ITERATIONS = 1_000_000
KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 8
SALT_CHECK = "pulumi"


class CryptError(ValueError):
    """A value or salt cannot be decrypted; the message is one line."""


def derive_key(passphrase: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", passphrase.encode(), salt, ITERATIONS, KEY_BYTES)


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise CryptError("bad value: invalid base64") from None


@dataclass(frozen=True)
class SymmetricCrypter:
    key: bytes

    def encrypt(self, plaintext: str, nonce: bytes | None = None) -> str:
        nonce = nonce if nonce is not None else os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.key).encrypt(nonce, plaintext.encode(), None)
        return f"v1:{base64.b64encode(nonce).decode()}:{base64.b64encode(sealed).decode()}"

    def decrypt(self, value: str) -> str:
        parts = value.split(":")
        if len(parts) != 3:
            raise CryptError("bad value")
        if parts[0] != "v1":
            raise CryptError("unknown value version")
        nonce, sealed = _b64(parts[1]), _b64(parts[2])
        if len(nonce) != NONCE_BYTES:
            raise CryptError("bad value: nonce size is incorrect")
        try:
            return AESGCM(self.key).decrypt(nonce, sealed, None).decode()
        except (InvalidTag, UnicodeDecodeError):
            raise CryptError("cannot decrypt value (wrong passphrase?)") from None


def crypter_from_salt(passphrase: str, encryption_salt: str) -> SymmetricCrypter:
    """Check the passphrase against the stack's `encryptionsalt` and return its crypter."""
    parts = encryption_salt.split(":", 2)
    if len(parts) != 3 or parts[0] != "v1":
        raise CryptError("bad encryptionsalt")
    crypter = SymmetricCrypter(derive_key(passphrase, _b64(parts[1])))
    try:
        check = crypter.decrypt(parts[2])
    except CryptError:
        check = ""
    if check != SALT_CHECK:
        raise CryptError("incorrect passphrase")
    return crypter


def new_encryption_salt(passphrase: str, salt: bytes | None = None) -> tuple[str, SymmetricCrypter]:
    """A fresh `encryptionsalt` line and its crypter, as `pulumi stack init` would make."""
    salt = salt if salt is not None else os.urandom(SALT_BYTES)
    crypter = SymmetricCrypter(derive_key(passphrase, salt))
    return f"v1:{base64.b64encode(salt).decode()}:{crypter.encrypt(SALT_CHECK)}", crypter


def encrypt(passphrase: str, encryption_salt: str, plaintext: str) -> str:
    """Encrypt a config value for a stack whose `encryptionsalt` is given."""
    return crypter_from_salt(passphrase, encryption_salt).encrypt(plaintext)
