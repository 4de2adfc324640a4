"""Jinja's compiled templates, kept between runs in .sitegen/cache/templates/ and signed: Jinja loads
them with `marshal`, i.e. runs them, so a file that is not signed with this machine's key
(`cache.machine_key`) is ignored and the template compiled again."""

from __future__ import annotations

import hmac
import io
import os
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from sitegen.incremental.signing import sign


class SignedBytecodeCache(jinja2.BytecodeCache):
    """A folder of compiled templates, each file its HMAC (64 hex digits) then Jinja's bytes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.refused = 0  # files found unsigned or changed, compiled again

    def _file(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.cache"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            data = self._file(bucket).read_bytes()
        except OSError:
            return
        mac, body = data[:64], data[64:]
        if not hmac.compare_digest(mac, sign(body)):
            self.refused += 1
            return
        bucket.load_bytecode(io.BytesIO(body))

    def dump_bytecode(self, bucket: Bucket) -> None:
        buffer = io.BytesIO()
        bucket.write_bytecode(buffer)
        body = buffer.getvalue()
        target = self._file(bucket)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            temporary.write_bytes(sign(body) + body)
            os.replace(temporary, target)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def clear(self) -> None:
        for file in self.folder.glob("*.cache"):
            file.unlink(missing_ok=True)
