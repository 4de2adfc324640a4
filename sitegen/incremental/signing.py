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
                _key = _make_key(home, file)
    return _key


def _make_key(home: Path, file: Path) -> bytes:
    """A new key, written whole under a temporary name and linked into place: when several builds
    start at once, the first link wins and every other process reads that key, never its own."""
    key = secrets.token_bytes(32)
    temporary = home / f".cache-key.{os.getpid()}.{secrets.token_hex(4)}"
    try:
        home.mkdir(parents=True, exist_ok=True)
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "wb") as out:
            out.write(key)
        try:
            os.link(temporary, file)
        except FileExistsError:
            found = file.read_bytes()
            if len(found) >= 32:
                return found
            os.replace(temporary, file)  # a key file cut short: this one replaces it
    except OSError:
        pass  # a home that cannot be written: the key lives for this process only
    finally:
        temporary.unlink(missing_ok=True)
    return key


def sign(data: bytes) -> bytes:
    return hmac.new(machine_key(), data, hashlib.sha256).hexdigest().encode()
