"""Jinja's compiled templates, kept between runs in .sitegen/cache/templates/. Compiled templates are
code, so each file is signed with this machine's key (`signing`) and read only when its signature
holds; the file is ours (signature, the template source's checksum, then `marshal`'s bytes of the
code), not Jinja's format, which reads a pickle before it checks anything."""

from __future__ import annotations

import hmac
import marshal
import os
from pathlib import Path
from types import CodeType
from typing import ClassVar

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

    def holds(self, bucket: Bucket) -> bool:
        return self._file(bucket).is_file()

    def clear(self) -> None:
        for file in self.folder.glob("*.code"):
            file.unlink(missing_ok=True)


class ProcessBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates shared by every build in this process (the dev server's rebuilds, a script or a
    test suite building many sites), in front of the site's own folder of them, or of none (`check`).
    Keyed as Jinja keys them (the template's name and file, its source's checksum); every environment
    comes from `render.templates.make_environment`, with the same options, filters and globals, so a
    template compiles to the same code in each."""

    compiled: ClassVar[dict[tuple[str, str], CodeType]] = {}

    def __init__(self, folder: SignedBytecodeCache | None) -> None:
        self.folder = folder

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.compiled.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.code = code
            if self.folder is not None and not self.folder.holds(bucket):
                self.folder.dump_bytecode(bucket)  # so the site's next process finds it too
        elif self.folder is not None:
            self.folder.load_bytecode(bucket)
            if bucket.code is not None:
                self.compiled[(bucket.key, bucket.checksum)] = bucket.code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[(bucket.key, bucket.checksum)] = bucket.code
        if self.folder is not None:
            self.folder.dump_bytecode(bucket)
