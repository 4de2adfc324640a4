"""The key that signs this machine's caches (the build cache's manifest, Jinja's compiled templates),
kept outside every site folder, so that bytes planted in a site's .sitegen/ are never loaded as code."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

_key: bytes | None = None


def machine_key() -> bytes:
    """The secret that signs this machine's caches: $SITEGEN_CACHE_KEY (for CI that restores a cache
    on another machine: a secret of the CI, never in the repository), else a random key made once in
    $XDG_CACHE_HOME/sitegen/cache-key (~/.cache/sitegen/cache-key), readable by its owner only."""
    global _key
    if _key is None:
        given = os.environ.get("SITEGEN_CACHE_KEY", "")
        if given:
            _key = hashlib.sha256(given.encode()).digest()
        else:
            home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sitegen"
            file = home / "cache-key"
            try:
                _key = file.read_bytes()
            except OSError:
                _key = b""
            if len(_key) < 32:
                _key = secrets.token_bytes(32)
                try:
                    home.mkdir(parents=True, exist_ok=True)
                    handle = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                    with os.fdopen(handle, "wb") as out:
                        out.write(_key)
                except OSError:
                    pass  # a home that cannot be written: the key lives for this process only
    return _key


def sign(data: bytes) -> bytes:
    return hmac.new(machine_key(), data, hashlib.sha256).hexdigest().encode()
