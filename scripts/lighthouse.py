"""Lighthouse (mobile preset) on the demo's key pages, served as a static host serves them: the site's own
`_headers` applied to every response (the rules `sitegen serve` applies, without its live-reload script)
and text compressed with gzip. Prints each page's four scores and the audits that lost points.

    mkdir -p /tmp/lh && (cd /tmp/lh && npm install lighthouse@12.8.2)
    PYTHONPATH=. /work/venv/bin/python scripts/lighthouse.py --lighthouse /tmp/lh/node_modules/.bin/lighthouse

Chromium is Debian's (/usr/bin/chromium, through CHROME_PATH). Not part of the test suite: a run takes
about a minute a page."""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sitegen.render.hostrules import headers_for, parse_headers
from sitegen.site.refcode import make_code

ROOT = Path(__file__).resolve().parent.parent
# /welcome/ twice: as a visitor from a search engine finds it, and as the friend of a patient's link
PAGES = ["/", "/refer/", "/welcome/", f"/welcome/?ref={make_code('FRND234')}", "/services/botox-and-dysport/"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
COMPRESSED = (".html", ".css", ".js", ".svg", ".xml", ".json", ".txt")


class Host(SimpleHTTPRequestHandler):
    """A static host: the site's `_headers` rules, gzip for text, 404.html for what is not there."""

    rules: list = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = self.path.split("?")[0].split("#")[0]
        file = Path(self.translate_path(path))
        if file.is_dir():
            file = file / "index.html"
        status = 200
        if not file.is_file():
            file, status = Path(self.directory) / "404.html", 404
        data = file.read_bytes()
        gzipped = file.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", "")
        if gzipped:
            data = gzip.compress(data, 6)
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(file)))
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        for name, value in headers_for(self.rules, path):
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return _Body(data)


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args: object) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lighthouse", default="/tmp/lh/node_modules/.bin/lighthouse")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median performance is kept")
    parser.add_argument(
        "--cpu-slowdown",
        type=float,
        default=None,
        help="Lighthouse's CPU multiplier (default 4, for a fast desktop); lower it on a slow, busy machine",
    )
    parser.add_argument("--page", action="append", help="a page to measure (repeatable); default: the four")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sitegen-lighthouse-"))
    out = work / "public"
    build = [sys.executable, "-m", "sitegen", "build", str(ROOT), "--out", str(out)]
    subprocess.run(build, check=True, capture_output=True)
    Host.rules = parse_headers((out / "_headers").read_text(encoding="utf-8"))
    Host.extensions_map = {
        **Host.extensions_map,
        ".html": "text/html; charset=utf-8",
        ".js": "text/javascript",
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Host, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    env = {**os.environ, "CHROME_PATH": "/usr/bin/chromium"}
    try:
        for number, url in enumerate(options.page or PAGES):
            reports = []
            for run in range(options.runs):
                report = work / f"report-{number}-{run}.json"
                command = [
                    options.lighthouse,
                    base + url,
                    "--quiet",
                    "--output=json",
                    f"--output-path={report}",
                    f"--only-categories={','.join(CATEGORIES)}",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                ]
                if options.cpu_slowdown is not None:
                    command.append(f"--throttling.cpuSlowdownMultiplier={options.cpu_slowdown}")
                for _attempt in range(3):  # a trace is sometimes lost on a busy machine (NO_NAVSTART)
                    if subprocess.run(command, env=env).returncode == 0:
                        break
                else:
                    raise SystemExit(f"lighthouse failed three times on {url}")
                reports.append(json.loads(report.read_text(encoding="utf-8")))
            runs = [round((r["categories"]["performance"]["score"] or 0) * 100) for r in reports]
            reports.sort(key=lambda r: r["categories"]["performance"]["score"] or 0)
            result = reports[len(reports) // 2]
            scores = {c: round((result["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}
            machine = result["environment"]["benchmarkIndex"]
            print(
                f"{url}: "
                + ", ".join(f"{c} {s}" for c, s in scores.items())
                + f" (performance runs {runs}, benchmarkIndex {machine:.0f}, "
                + "load average {:.1f} {:.1f} {:.1f})".format(*os.getloadavg())
            )
            for audit in result["audits"].values():
                lost = audit.get("score") is not None and audit["score"] < 1
                if lost and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings"):
                    value = audit.get("displayValue", "")
                    print(f"    {audit['id']}: {audit['score']:.2f} {value}")
    finally:
        server.shutdown()
        print(f"reports: {work}")


if __name__ == "__main__":
    main()
