"""Jinja's compiled templates, kept between runs in .sitegen/cache/templates/. Compiled templates are
code, so each file is signed with this machine's key (`signing`) and read only when its signature
holds; the file is ours (signature, the template source's checksum, then `marshal`'s bytes of the
code), not Jinja's format, which reads a pickle before it checks anything."""

from __future__ import annotations

import hmac
import marshal
import os
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from sitegen.incremental.signing import sign

_SIGNATURE = 64  # hex digits of an HMAC-SHA256


class SignedBytecodeCache(jinja2.BytecodeCache):
    """A folder of compiled templates: `<signature>\\n<source checksum>\\n<marshalled code>`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.refused = 0  # files found unsigned or changed, compiled again

    def _file(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.code"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            data = self._file(bucket).read_bytes()
        except OSError:
            return
        mac, body = data[:_SIGNATURE], data[_SIGNATURE + 1 :]
        if not hmac.compare_digest(mac, sign(body)):
            self.refused += 1
            return
        checksum, _, code = body.partition(b"\n")
        if checksum.decode("ascii", "replace") == bucket.checksum:
            bucket.code = marshal.loads(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        body = bucket.checksum.encode("ascii") + b"\n" + marshal.dumps(bucket.code)
        target = self._file(bucket)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            temporary.write_bytes(sign(body) + b"\n" + body)
            os.replace(temporary, target)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def clear(self) -> None:
        for file in self.folder.glob("*.code"):
            file.unlink(missing_ok=True)
