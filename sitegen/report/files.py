"""Where the report's files may go and how they are written: never into the published site, whole
(a temporary file renamed), readable by their owner only; rewards.csv with no cell a spreadsheet
would run as a formula.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from sitegen.core.paths import SHIPPED_THEMES
from sitegen.output.ownership import MARKER
from sitegen.report.ingest import ReportError

REWARDS_COLUMNS = [
    "reward_id",
    "status",
    "given_on",
    "given_by",
    "earned_on",
    "days_outstanding",
    "first_name",
    "email",
    "code",
    "language",
    "reward",
    "kind",
    "description",
    "charity",
    "value",
    "owed",
    "capped_by",
    "referral",
    "referral_id",
    "note",
    "message",
]


# -- where the files may go -----------------------------------------------------------------------


def check_out_dir(out_dir: Path, site_dir: Path) -> list[str]:
    """Refuse the site's published folders; warnings (to show) when git would commit the files."""
    out = out_dir.resolve()
    for name, what in (
        ("public", "the site's output folder, which is published"),
        ("content", "the site's content (content/static/ is published as it is)"),
        ("themes", "the site's themes (their static/ files are published)"),
        ("templates", "the site's templates"),
        ("promotion-kit", "the promotion kit, which is handed out"),
        (SHIPPED_THEMES, "sitegen's shipped themes (their static/ files are published)"),
    ):
        folder = (site_dir / name).resolve()
        if out == folder or folder in out.parents:
            raise ReportError(
                f"refusing to write the report into {out_dir}: it is inside {site_dir / name}, {what}. "
                f"The report holds patient data; use --out outside it, e.g. --out {site_dir / 'reports'}."
            )
    for folder in (out, *out.parents):
        if (folder / MARKER).is_file():  # an output folder of some build, which is published
            raise ReportError(
                f"refusing to write the report into {out_dir}: {folder} is a sitegen output folder, which "
                f"is published. The report holds patient data; use --out {site_dir / 'reports'}."
            )
    if out.exists() and not out.is_dir():
        raise ReportError(f"--out {out_dir} is a file, not a folder")
    return [w for w in [_git_warning(out, out_dir)] if w]


def _git_warning(out: Path, shown_as: Path) -> str:
    root = next((p for p in (out, *out.parents) if (p / ".git").exists()), None)
    if root is None:
        return ""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "check-ignore", "-q", str(out / "report.json")],
            capture_output=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return (
            f"{shown_as} is inside the git repository {root}, and git could not be asked whether it ignores "
            "it: make sure the report files are never committed"
        )
    if result.returncode == 1:
        relative = out.relative_to(root).as_posix()
        return (
            f"{shown_as} is inside the git repository {root} and git does not ignore it: the report files "
            f"hold patient data; add `{relative}/` to {root / '.gitignore'} before committing anything"
        )
    return ""


def write_outputs(out_dir: Path, files: dict[str, str]) -> list[Path]:
    """Write each file whole (a temporary file, then renamed), readable by its owner only."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise ReportError(f"cannot create {out_dir}: {exc.strerror}") from None
    written = []
    for name, text in files.items():
        target = out_dir / name
        try:
            handle, temp = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
            os.chmod(temp, 0o600)
            os.replace(temp, target)
        except OSError as exc:
            raise ReportError(f"cannot write {target}: {exc.strerror}") from None
        written.append(target)
    return written


# -- rewards.csv ----------------------------------------------------------------------------------


def rewards_csv(data: dict[str, Any]) -> str:
    """The ledger: every reward earned to date (given, owed, or nothing owed after a limit), then the
    given rewards of an earlier ledger that these exports no longer earn. Staff fill in given_on and
    given_by and pass the file back with --ledger. Cells that a spreadsheet would run as a formula are
    prefixed with ' (names come from a public form)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(REWARDS_COLUMNS)
    for reward in data["ledger"]["rewards"]:
        row = {
            **reward,
            "value": f"{reward['value']:.2f}",
            "owed": f"{reward['owed']:.2f}",
            "capped_by": " ".join(reward["capped_by"]),
        }
        writer.writerow([_cell("" if row[c] is None else str(row[c])) for c in REWARDS_COLUMNS])
    for old in data["ledger"]["not_earned_now"]:
        row = {
            **old,
            "status": "given",
            "note": "given, but these exports no longer earn it (an exclusion or a corrected export?)",
        }
        writer.writerow([_cell(str(row.get(column, "") or "")) for column in REWARDS_COLUMNS])
    return buffer.getvalue()


def _cell(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
