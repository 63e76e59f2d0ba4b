"""Password hashing (argon2id) and digests of bearer secrets."""

from __future__ import annotations

import hashlib
import hmac

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# argon2-cffi's defaults follow RFC 9106's second recommended option (argon2id, 64 MiB, t=3).
_hasher = PasswordHasher()

# Verifying against this keeps log-in time the same whether or not the account exists.
_DUMMY_HASH = _hasher.hash("assay-dummy-password-for-timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def token_digest(token: str) -> str:
    """Session ids, API keys and invitation tokens are stored only as this digest.

    They are 256-bit random values, so a fast hash is enough: there is nothing to brute-force.
    """
    return hashlib.sha256(token.encode()).hexdigest()


def sign(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
