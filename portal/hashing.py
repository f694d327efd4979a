"""Argon2id hashing of the secrets people type: staff passwords, case access codes and
submission query codes.

Each kind has its production cost (`COSTS`). An app built with TESTING and
FAST_HASHING (the test suite's) hashes at a token cost instead: the suite signs
staff in hundreds of times, and at about 130 ms a hash and as much a check,
hashing had been a tenth of its run. The algorithm, the code paths and the
stored format are the same either way, a hash made at one cost verifies at
the other (argon2 reads the cost from the hash), and tests/test_hashing.py
checks that an app without those settings hashes at full cost.
"""

from __future__ import annotations

import secrets
from dataclasses import replace

from argon2 import Parameters, PasswordHasher, Type, profiles
from flask import current_app, has_app_context

COSTS: dict[str, Parameters] = {
    # argon2-cffi's default: RFC 9106's low-memory choice, 3 passes over 64 MiB.
    "password": profiles.RFC_9106_LOW_MEMORY,
    "access_code": profiles.RFC_9106_LOW_MEMORY,
    # OWASP's lower-memory setting: tens of milliseconds, not hundreds (a code is
    # checked on every tracking request, and is long and random).
    "query_code": Parameters(
        type=Type.ID,
        version=19,
        salt_len=16,
        hash_len=32,
        time_cost=2,
        memory_cost=19 * 1024,
        parallelism=1,
    ),
}
TEST_COST = replace(COSTS["query_code"], time_cost=1, memory_cost=1024)


class Hasher:
    """One kind's hasher, and a hash of a random secret to verify against when there is
    nothing to verify, so that failing costs what succeeding does."""

    def __init__(self, parameters: Parameters) -> None:
        self.argon2 = PasswordHasher.from_parameters(parameters)
        self.dummy_hash = self.argon2.hash(secrets.token_hex(16))


_HASHERS: dict[tuple[str, bool], Hasher] = {}


def _fast() -> bool:
    if not has_app_context():
        return False
    config = current_app.config
    return bool(config.get("TESTING")) and bool(config.get("FAST_HASHING"))


def hasher(kind: str) -> Hasher:
    """The hasher of `kind` (a key of `COSTS`) for the current app."""
    fast = _fast()
    found = _HASHERS.get((kind, fast))
    if found is None:
        found = _HASHERS[(kind, fast)] = Hasher(TEST_COST if fast else COSTS[kind])
    return found
