"""The build cache in <site>/.sitegen/cache/: what a rebuild may reuse, keyed by content hashes.

`manifest.json` holds the hash of every input file and, per output folder, every file written and
what fed each page; `documents/NN.data` hold the loaded documents, `pages-*.data` and `facts-*.data`
the per-page records. Those files are data only (`codec`), each checked against the hash the manifest
records, and the manifest is signed with a key kept outside the site (`signing`). A cache that is
unsigned, damaged, or written by another sitegen or library version is ignored with a notice and
rebuilt. docs/performance.md ("The build cache") says what is kept and why."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
import zlib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from sitegen import __version__
from sitegen.core.paths import MAX_CONTENT_BYTES, PACKAGE
from sitegen.incremental import gcpolicy
from sitegen.incremental.codec import decode, encode
from sitegen.incremental.signing import sign
from sitegen.incremental.wellformed import unusable_folder, well_formed
from sitegen.output.writer import walk_files

FORMAT = 1
CACHE_FOLDER = Path(".sitegen") / "cache"
LIBRARIES = ("pyromark", "jinja2", "nh3", "pyyaml", "markupsafe")
_fingerprint: str | None = None


def code_fingerprint() -> str:
    """This exact sitegen: its version, the bytes of its code and data, Python's and its libraries'
    versions."""
    global _fingerprint
    if _fingerprint is None:
        digest = hashlib.sha256(f"{FORMAT}|{__version__}|{sys.version_info[:2]}".encode())
        for name in LIBRARIES:
            try:
                digest.update(f"|{name}={metadata.version(name)}".encode())
            except metadata.PackageNotFoundError:
                digest.update(f"|{name}=none".encode())
        package = PACKAGE
        for file in sorted(f for f in package.rglob("*") if f.is_file() and "__pycache__" not in f.parts):
            digest.update(file.relative_to(package).as_posix().encode() + b"\0" + file.read_bytes())
        _fingerprint = digest.hexdigest()[:32]
    return _fingerprint


code_fingerprint()  # now, while the code on disk is the code this process imported


def content_key(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(
            part if isinstance(part, bytes) else part.encode("utf-8", "surrogateescape")
        )  # odd file names too
        digest.update(b"\0")
    return digest.hexdigest()[:32]


class CacheRejected(Exception):
    """The cache on disk cannot be used; the message says why, for the notice."""


@dataclass
class BuildCache:
    """The cache of one site. `notice` says why an existing cache was ignored (shown once)."""

    folder: Path | None  # None: caching is off (--no-cache); nothing is read or written
    manifest: dict[str, Any] = field(default_factory=dict)
    notice: str = ""
    _shards: dict[str, dict[str, Any]] = field(default_factory=dict)
    _shards_read: bool = False
    rejected: int = 0  # how many times something on disk was found untrustworthy
    _used: set[str] = field(default_factory=set)
    # this build's scan of the input files (see `scan_inputs`): a document's key uses its file's hash
    # from here, so a rebuild does not read 10,000 unchanged files again
    scanned: dict[str, list] = field(default_factory=dict)
    scan_fresh: bool = False  # `scanned` was made for this build (the dev server scans again per build)
    _dirty: set[str] = field(default_factory=set)
    # per (output, part), the shards of page records or facts read this build, with their files
    _sides: dict[tuple[str, str], dict[str, tuple[dict[str, Any], list[str]]]] = field(default_factory=dict)

    @classmethod
    def open(cls, site_dir: Path, enabled: bool = True) -> BuildCache:
        if not enabled:
            return cls(None)
        cache = cls(site_dir / CACHE_FOLDER)
        unusable = unusable_folder(cache.folder)
        if unusable:
            return cls(None, notice=f"not using the build cache: {unusable}; building everything")
        file = cache.folder / "manifest.json"
        if not file.exists():
            return cache
        try:
            data = file.read_bytes()
            manifest = json.loads(data.decode("utf-8"))  # plain JSON: safe to read before the signature
            signature = cache.folder / "manifest.json.hmac"
            if not hmac.compare_digest(signature.read_bytes() if signature.exists() else b"", sign(data)):
                raise CacheRejected(
                    "it is not signed with this machine's key (written elsewhere, or changed since); see "
                    "docs/security.md"
                )
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise CacheRejected("it was written in another format")
            if manifest.get("fingerprint") != code_fingerprint():
                raise CacheRejected(
                    f"it was written by another sitegen (version {manifest.get('sitegen', '?')} "
                    "or other code or libraries)"
                )
            if not isinstance(manifest.get("inputs"), dict) or not isinstance(manifest.get("outputs"), dict):
                raise CacheRejected("its manifest is incomplete")
            if not well_formed(manifest):
                raise CacheRejected("its manifest holds values of the wrong kind")
            cache.manifest = manifest
        except (OSError, UnicodeDecodeError, ValueError, CacheRejected) as exc:
            reason = (
                str(exc) if isinstance(exc, CacheRejected) else "it cannot be read (damaged or cut short)"
            )
            cache.reject(f"ignored the build cache in {cache.folder}: {reason}; building everything")
        return cache

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def reject(self, notice: str) -> None:
        """Forget everything read so far; the next save starts a fresh cache."""
        self.notice = self.notice or notice
        self.rejected += 1
        self.manifest, self._shards, self._shards_read, self._dirty = {}, {}, True, set()
        self._sides = {}

    def start_build(self) -> None:
        """A new build in the same process (the dev server): documents it does not use are dropped."""
        self._used = set()
        self.scan_fresh = False

    def scan(self, roots: dict[str, Path]) -> dict[str, list]:
        """Scan the input files for this build (the dev server's, per rebuild; see `scan_inputs`)."""
        self.scanned = scan_inputs(roots, self.scanned)
        self.scan_fresh = True
        return self.scanned

    def content_hashes(self, site_dir: Path) -> dict[str, list]:
        """This build's hash of every content file: the scan of `incremental.previous_build`, or (the
        dev server) a scan that re-reads only the files whose size or times changed since the last."""
        return self.scanned if self.scan_fresh else self.scan({"content": site_dir / "content"})

    def save_documents(self) -> None:
        """Write new documents, keeping the manifest's record of inputs and outputs (the dev server
        writes no output folder, but `sitegen build` gains from what it loaded)."""
        if self.enabled and (self._dirty or not self.manifest):
            self.save(self.inputs(), None, None)

    # -- documents -------------------------------------------------------------------------------
    def document(self, key: str, use: bool = True) -> Any:
        """The cached (loaded document, diagnostics) for a content key, or None. A document looked at
        without `use` (an edited file's last version) is not kept by the next save for its sake."""
        if not self.enabled or not self.manifest:
            return None
        if not self._shards_read:
            self._load_shards()
        entry = self._shards.get(key[:2], {}).get(key)
        if entry is not None and use:
            self._used.add(key)
        return entry

    def store_document(self, key: str, entry: Any) -> None:
        if self.enabled:
            self._shards.setdefault(key[:2], {})[key] = entry
            self._used.add(key)
            self._dirty.add(key[:2])

    def _load_shards(self) -> None:
        """Read every shard at once, each checked against the hash the manifest recorded for it, so
        a damaged or swapped file rejects the whole cache before any document from it is used."""
        assert self.folder is not None
        expected = self.manifest.get("shards", {})
        shards: dict[str, dict[str, Any]] = {}
        try:
            with gcpolicy.paused():  # as `decode` does, between two shards too
                for name, digest in expected.items():
                    data = (self.folder / "documents" / f"{name}.data").read_bytes()
                    if hashlib.sha256(data).hexdigest()[:32] != digest:
                        raise CacheRejected(f"documents/{name}.data was changed or damaged")
                    shard = decode(data)
                    if not isinstance(shard, dict):
                        raise CacheRejected(f"documents/{name}.data is not a cache shard")
                    shards[name] = shard
                # kept to the end of the build: frozen before collection resumes, which would otherwise
                # scan the hundreds of thousands of objects just made (a twentieth of a one-page edit)
                gcpolicy.keep_to_the_end()
        except (OSError, CacheRejected, ValueError) as exc:  # `decode` raises ValueError for any bad value
            reason = (
                str(exc) if isinstance(exc, CacheRejected) else f"a documents file cannot be read ({exc})"
            )
            self.reject(f"ignored the build cache in {self.folder}: {reason}; building everything")
            return
        self._shards, self._shards_read = shards, True

    # -- the manifest ----------------------------------------------------------------------------
    def inputs(self) -> dict[str, list]:
        return self.manifest.get("inputs", {}) if self.manifest else {}

    def outputs(self, out_key: str) -> dict[str, Any]:
        return self.manifest.get("outputs", {}).get(out_key, {}) if self.manifest else {}

    def page_records(self, out_key: str) -> dict[str, Any]:
        """What fed each page of the last build into `out_key`: kept in a file of its own (the largest
        part of the cache), read only when pages are checked, and checked against its recorded hash."""
        return self.side_file(out_key, "pages")

    def side_file(self, out_key: str, part: str) -> dict[str, Any]:
        """A large part of an output folder's record (`pages`: what fed each page; `facts`: what the
        rules found on each), kept in files of its own that the no-op path never reads, in shards by
        output path (`SIDE_SHARDS`), each checked against the hash the manifest recorded for it."""
        shards = self.outputs(out_key).get(f"{part}_shards")
        if not shards or not self.folder:
            return {}
        records: dict[str, Any] = {}
        read: dict[str, tuple[dict[str, Any], list[str]]] = {}
        try:
            with gcpolicy.paused():  # and frozen before collection resumes, as the documents are
                for shard_id, (name, digest) in shards.items():
                    data = (self.folder / name).read_bytes()
                    if hashlib.sha256(data).hexdigest()[:32] != digest:
                        raise CacheRejected(f"{name} was changed or damaged")
                    shard = decode(data)
                    if not isinstance(shard, dict):
                        raise CacheRejected(f"{name} is not a record of pages")
                    read[shard_id] = (shard, [name, digest])
                    records.update(shard)
                gcpolicy.keep_to_the_end()
        except (OSError, ValueError, CacheRejected) as exc:
            reason = str(exc) if isinstance(exc, CacheRejected) else f"{name} cannot be read"
            self.reject(f"ignored the build cache in {self.folder}: {reason}; building everything")
            return {}
        self._sides[(out_key, part)] = read
        return records

    def _save_side(self, out_key: str, part: str, records: dict[str, Any]) -> dict[str, list[str]]:
        """Write `records` in shards by output path; a shard equal to the one read this build is not
        encoded again (after a one-page edit, most are). Records are never changed in place: a kept
        page's record is the very value read, a rendered page's a new one. Returns the shards' files
        and hashes, and removes this part's files that no shard names any more."""
        assert self.folder is not None
        split: dict[str, dict[str, Any]] = {}
        for out_path, record in records.items():
            split.setdefault(_side_shard(out_path), {})[out_path] = record
        last = self._sides.get((out_key, part), {})
        prefix = f"{part}-{content_key(out_key)[:12]}"
        files: dict[str, list[str]] = {}
        kept: dict[str, tuple[dict[str, Any], list[str]]] = {}
        for shard_id, shard in sorted(split.items()):
            previous = last.get(shard_id)
            if previous is None or previous[0] != shard or not (self.folder / previous[1][0]).is_file():
                data = encode(shard)  # plain values: kept apart from the manifest, which the no-op reads
                name = f"{prefix}-{shard_id}.data"
                _atomic_write(self.folder / name, data)
                previous = (shard, [name, hashlib.sha256(data).hexdigest()[:32]])
            files[shard_id], kept[shard_id] = previous[1], previous
        self._sides[(out_key, part)] = kept
        named = {name for name, _ in files.values()}
        for stale in self.folder.glob(f"{prefix}*.data"):
            if stale.name not in named:
                stale.unlink(missing_ok=True)
        return files

    def save(self, inputs: dict[str, list], out_key: str | None, output: dict[str, Any] | None) -> None:
        """Write the shards that changed and the manifest, each atomically (write aside, then rename);
        documents this build did not use (deleted or edited files) are dropped from their shards."""
        if not self.enabled:
            return
        assert self.folder is not None
        if self.manifest and not self._shards_read and self._dirty:
            self._load_shards()  # shards about to be rewritten must keep their other documents
        documents = self.folder / "documents"
        documents.mkdir(parents=True, exist_ok=True)
        hashes = dict(self.manifest.get("shards", {})) if self.manifest else {}
        stale = {n for n, shard in self._shards.items() if set(shard) - self._used}
        for name in sorted(self._dirty | stale):
            # kept in memory as written: the dev server saves after every rebuild, and each edit's last
            # version would otherwise stay in memory for the whole session
            shard = self._shards[name] = {
                k: v for k, v in self._shards.get(name, {}).items() if k in self._used
            }
            data = encode(shard)
            _atomic_write(documents / f"{name}.data", data)
            hashes[name] = hashlib.sha256(data).hexdigest()[:32]
        outputs = dict(self.manifest.get("outputs", {})) if self.manifest else {}
        if out_key is not None and output is not None:
            output = dict(output)
            for part in ("pages", "facts"):
                if part in output:
                    output[f"{part}_shards"] = self._save_side(out_key, part, output.pop(part))
            outputs[out_key] = output
        manifest = {
            "format": FORMAT,
            "sitegen": __version__,
            "fingerprint": code_fingerprint(),
            "inputs": inputs,
            "shards": hashes,
            "outputs": outputs,
        }
        data = json.dumps(manifest, separators=(",", ":")).encode()
        _atomic_write(self.folder / "manifest.json", data)
        _atomic_write(self.folder / "manifest.json.hmac", sign(data))
        self.manifest, self._dirty = manifest, set()


SIDE_SHARDS = 32  # page records and facts are written in this many files: an edit rewrites few


def _side_shard(out_path: str) -> str:
    return f"{zlib.crc32(out_path.encode('utf-8', 'surrogateescape')) % SIDE_SHARDS:02d}"


def _atomic_write(target: Path, data: bytes) -> None:
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def scan_inputs(roots: dict[str, Path], previous: dict[str, list]) -> dict[str, list]:
    """Every file under the roots (content, templates, themes) with its hash: [sha, size, mtime, ctime].

    A file whose size and times are all as recorded keeps its recorded hash; any other is read and
    hashed, so on another machine every file is hashed once and the cache stays valid.
    """

    found: dict[str, list] = {}
    for label, root in roots.items():
        if not root.is_dir():
            continue
        for rel, entry in walk_files(str(root), label + "/"):
            try:
                st = entry.stat()
            except OSError:
                continue
            old = previous.get(rel)
            if old and old[1:] == [st.st_size, st.st_mtime_ns, st.st_ctime_ns]:
                found[rel] = old
                continue
            try:
                digest = file_digest(entry.path)
            except OSError:
                continue
            found[rel] = [digest, st.st_size, st.st_mtime_ns, st.st_ctime_ns]
    return found


def file_digest(path: str | Path) -> str:
    """A file's hash as the manifest records it (and as documents are keyed by it). A content file over
    the loader's limit is named by its size, unread: the loader refuses it (SG217), and 20 GB are not
    read to say so."""
    if str(path).endswith((".md", ".yaml")) and (size := os.path.getsize(path)) > MAX_CONTENT_BYTES:
        return f"oversize:{size}"
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()[:32]


def inputs_digest(inputs: dict[str, list], options: dict[str, Any]) -> str:
    """One hash for 'everything this build reads': every input file's hash and the build's options."""
    digest = hashlib.sha256(json.dumps(options, sort_keys=True).encode())
    for rel in sorted(inputs):
        digest.update(f"{rel}\0{inputs[rel][0]}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:32]
