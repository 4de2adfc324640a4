"""`sitegen serve`: build, serve from memory, rebuild on save, reload the browser, catch form posts.

`run` serves the last good build from memory (nothing written to public/), as the static host would
(`_redirects`, `_headers`, 404.html); `watch` rebuilds once per burst of saves, and nothing a rebuild
raises stops it. The parts: docs/architecture.md ("serve/server.py").
"""

from __future__ import annotations

import threading
import time
import webbrowser
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from pathlib import Path

from sitegen.serve.devsite import DevSite
from sitegen.serve.http import LOCAL_HOSTS, Handler
from sitegen.serve.reload import RELOAD_SCRIPT_URL, error_page, inject_reload_script, page_version
from sitegen.serve.snapshot import Snapshot, resolve

__all__ = [
    "RELOAD_SCRIPT_URL",
    "DevServer",
    "DevSite",
    "Handler",
    "Snapshot",
    "error_page",
    "inject_reload_script",
    "page_version",
    "resolve",
    "run",
    "start",
    "stop",
    "watch",
]

WATCHED = ("content", "templates", "themes")


class DevServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: DevSite, host: str, port: int):
        self.site = site
        self.stopping = threading.Event()
        self.allowed_hosts = tuple(dict.fromkeys((*LOCAL_HOSTS, host.lower(), f"[{host.lower()}]")))
        super().__init__((host, port), Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


def watch(
    site: DevSite, stop: threading.Event, ready: threading.Event, stamp: tuple[int, int] | None = None
) -> None:
    """Rebuild after every batch of saved files until `stop` is set; `ready` once watching.

    The whole site folder is watched, filtered to content/, templates/ and themes/, so a templates/
    folder created while the server runs is picked up too. `stamp` is the files as the last build
    saw them (`_stamp`): a save made before the watcher started is caught when it starts.
    """
    import watchfiles

    root = site.site_dir.resolve()
    watched = tuple(str(root / name) for name in WATCHED)

    def relevant(change: object, path: str) -> bool:
        return (
            path.startswith(watched) and not Path(path).name.startswith((".", "~")) and not path.endswith("~")
        )

    stamp = stamp or _stamp(site.site_dir)
    for changes in watchfiles.watch(
        root,
        watch_filter=relevant,
        stop_event=stop,
        debounce=400,
        step=30,
        rust_timeout=300,
        yield_on_timeout=True,
        raise_interrupt=False,
    ):
        if not ready.is_set():
            ready.set()
            if _stamp(site.site_dir) != stamp:  # saved while the watcher was starting
                _rebuild(site)
        if changes:
            _rebuild(site)


def _rebuild(site: DevSite) -> None:
    """A rebuild that never ends the watcher: whatever goes wrong is logged, and the next save retried."""
    try:
        site.rebuild()
    except Exception as exc:
        site.log(f"the rebuild failed ({type(exc).__name__}: {exc}); save again to retry")


def _stamp(site_dir: Path) -> tuple[int, int]:
    files = [f for name in WATCHED for f in (site_dir / name).rglob("*") if f.is_file()]
    return len(files), max((f.stat().st_mtime_ns for f in files), default=0)


def start(
    site_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    drafts: bool = False,
    log: Callable[[str], None] = lambda _: None,
    progress: Callable[[str, int, int], None] | None = None,
) -> DevServer:
    """Build, then serve and watch in background threads; `stop()` the returned server to end.
    `progress(stage, done, total)` is told how far the first build is (a large site takes a while)."""
    site = DevSite(site_dir, drafts=drafts, log=log)
    stamp = _stamp(
        site_dir
    )  # before the first build: a save from here on, even before the watcher runs, is rebuilt
    site.rebuild(progress)
    server = DevServer(site, host, port)
    ready = threading.Event()
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    threading.Thread(target=watch, args=(site, server.stopping, ready, stamp), daemon=True).start()
    ready.wait(timeout=10)
    return server


def stop(server: DevServer) -> None:
    server.stopping.set()
    server.shutdown()
    server.server_close()


def run(
    site_dir: Path,
    host: str,
    port: int,
    *,
    drafts: bool,
    open_browser: bool,
    log: Callable[[str], None],
    progress: Callable[[str, int, int], None] | None = None,
) -> None:
    log(f"Building {site_dir} ...")
    server = start(site_dir, host, port, drafts=drafts, log=log, progress=progress)
    log(
        f"Serving {site_dir} at {server.url}/ (Ctrl+C to stop). Form posts are saved in "
        f"{site_dir / '.sitegen' / 'submissions'}/."
    )
    if open_browser:
        webbrowser.open(server.url + "/")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        log("Stopped.")
    finally:
        stop(server)
