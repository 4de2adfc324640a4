"""Form-service exports for `sitegen report`, written as the local form service writes them: the columns,
the rows, one CSV writer (bench/report.py writes its 100,000 rows with it too), and the command run.

Also the program variants the report tests use and the form posting of the served site."""

from __future__ import annotations

import csv
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner
from programs import charitable
from sitefactory import PROGRAM, add_program, make_site

from sitegen.cli import main

ROOT = Path(__file__).resolve().parent.parent  # the repository: its content/ is the demo site
# what every form of the served site sends after its own fields: where the visitor came from, and when
TRACKING = ["utm_source", "utm_medium", "utm_campaign", "landing_page", "referrer", "created_at", "id"]
ENROLL = ["first_name", "email", "referral_code", *TRACKING]
APPOINTMENT = ["name", "email", "phone", "location", "preferred_time", "referral_code", *TRACKING]
VISITS = ["email", "phone", "visit_date", "amount"]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """`path`, written as a form service exports: the header row, then the rows."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def saved_by_excel(path: Path, rows: list[dict[str, str]]) -> Path:
    """`path`, with `rows` (a report's rewards.csv, read back and edited) written as Excel's "Save as CSV"
    writes them in most locales: a byte-order mark, and ';' between cells."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    return path


def enrolment(
    first: str, email: str, code: str, when: str, source: str = "", campaign: str = ""
) -> list[str]:
    """A row of the enroll form's export (columns ENROLL)."""
    return [first, email, code, source, "", campaign, "/refer/", "", when, f"e-{code}"]


def request(
    name: str, email: str, phone: str, code: str, when: str, source: str = "", campaign: str = ""
) -> list[str]:
    """A row of the appointment form's export (columns APPOINTMENT)."""
    return [
        name,
        email,
        phone,
        "Main office",
        "Weekday morning",
        code,
        source,
        "",
        campaign,
        "/welcome/",
        "",
        when,
        f"a-{name.lower()}",
    ]


def write_exports(
    folder: Path,
    enrolments: list[list[str]],
    requests: list[list[str]],
    visits: list[list[str]],
    enroll_header: list[str] = ENROLL,
) -> tuple[Path, Path, Path]:
    """e.csv, a.csv and v.csv in `folder`: the enrolments, the appointment requests and the visits."""
    return (
        write_csv(folder / "e.csv", enroll_header, enrolments),
        write_csv(folder / "a.csv", APPOINTMENT, requests),
        write_csv(folder / "v.csv", VISITS, visits),
    )


def ann_enrolled(folder: Path, day: str = "2026-01-02") -> Path:
    """e.csv in `folder`: Ann alone enrolled, with the code ANNA2345."""
    return write_csv(folder / "e.csv", ENROLL, [enrolment("Ann", "ann@example.com", "ANNA2345", day)])


def program_site(tmp_path: Path, program: str = PROGRAM) -> Path:
    """A small site in `tmp_path` with `program` (by default PROGRAM: a $10 credit per friend whose first
    paid visit is within 60 days, from 2026-01-01)."""
    site = make_site(tmp_path)
    add_program(site, program)
    return site


def report_args(site: Path, files: tuple[Path, ...], *more: str | Path) -> list[str]:
    """The command line of `sitegen report` on `site` over `files` (the enrolments, the requests and,
    when given, the visits), then `more`."""
    options = [
        arg
        for name, path in zip(("--enrollments", "--appointments", "--visits"), files)
        for arg in (name, path)
    ]
    return ["report", "--site", str(site), *map(str, options), *map(str, more)]


def report(site: Path, *args: str | Path) -> tuple[int, str, dict]:
    """Run the command; its exit code, what it printed, and report.json (when written)."""
    out = site.parent / "reports"
    result = CliRunner().invoke(main, ["report", "--site", str(site), "--out", str(out), *map(str, args)])
    assert "Traceback" not in result.output and not isinstance(
        result.exception, (AssertionError, TypeError, KeyError, ValueError, AttributeError)
    ), result.output
    data = (
        json.loads((out / "report.json").read_text(encoding="utf-8"))
        if (out / "report.json").exists()
        else {}
    )
    return result.exit_code, result.output, data


def counted(site: Path, files: tuple[Path, Path, Path], *more: str | Path) -> tuple[str, dict]:
    """The report of the enrolments, requests and visits `files` (and `more` options), which must succeed:
    what it printed and report.json."""
    code, output, data = report(
        site, "--enrollments", files[0], "--appointments", files[1], "--visits", files[2], *more
    )
    assert code == 0, output
    return output, data


# -- programs ---------------------------------------------------------------------------------------


def program(model: str, limits: str) -> str:
    """The test program as `model` (direct: $40 a friend; tiered: $25 at 1, $75 at 3, a $120 set at 5),
    30 days to a paid visit, with `limits` (YAML) added."""
    text = PROGRAM.replace("  within_days: 60", "  within_days: 30").replace(
        "model: direct\n", f"model: {model}\n"
    )
    if model == "tiered":
        text = re.sub(
            r"referrer_reward:\n(  .*\n)+",
            "tiers:\n"
            "  - {name: Friend, referrals: 1, "
            "reward: {kind: spend_card, value: 25, description: a $25 card}}\n"
            "  - {name: Advocate, referrals: 3, "
            "reward: {kind: spend_card, value: 75, description: a $75 card}}\n"
            "  - {name: Ambassador, referrals: 5, "
            "reward: {kind: product, value: 120, description: a skincare set}}\n",
            text,
        )
    else:
        text = text.replace(
            "  value: 10\n  description: a $10 account credit", "  value: 40\n  description: a $40 credit"
        )
    return text + limits


CHARITABLE = charitable(10, "a $10 donation", ["Food Bank", "Animal Shelter"])


def one_advocate(tmp_path: Path, visit_days: list[str]) -> tuple[Path, Path, Path]:
    """Ann refers one friend per visit day, each requesting ten days before their paid visit."""
    requests, visits = [], []
    for number, day in enumerate(visit_days):
        visit = datetime.fromisoformat(day).date()
        email = f"f{number}@example.org"
        requests.append(
            request(f"F{number}", email, "", "ANNA2345", (visit - timedelta(days=10)).isoformat())
        )
        visits.append([email, "", visit.isoformat(), "90"])
    enroll = ann_enrolled(tmp_path)
    return (
        enroll,
        write_csv(tmp_path / "a.csv", APPOINTMENT, requests),
        write_csv(tmp_path / "v.csv", VISITS, visits),
    )


def month_rows(month: int, people: list[tuple[str, str]]) -> tuple[list[list[str]], list[list[str]]]:
    """Requests on the 3rd and paid visits on the 10th of a month, for (friend, advocate code) pairs."""
    requests = [request(f, f"{f.lower()}@example.org", "", c, f"2026-{month:02d}-03") for f, c in people]
    visits = [[f"{f.lower()}@example.org", "", f"2026-{month:02d}-10", "80"] for f, _ in people]
    return requests, visits


# -- the served site's forms ------------------------------------------------------------------------


class FormFields(HTMLParser):
    """The names of a form's fields, in the order the browser sends them."""

    def __init__(self, form: str) -> None:
        super().__init__()
        self.form, self.inside, self.names = form, False, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self.inside = values.get("name") == self.form
        elif (
            self.inside
            and tag in ("input", "select", "textarea")
            and values.get("name")
            and values["name"] not in self.names
        ):
            self.names.append(values["name"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def form_fields(url: str, form: str) -> list[str]:
    """The fields of the form named `form` on the page at `url`, as the visitor fills them."""
    with urllib.request.urlopen(url, timeout=10) as response:
        parser = FormFields(form)
        parser.feed(response.read().decode())
    return [name for name in parser.names if name not in ("form-name", "bot-field")]


MARIA = {
    "form-name": "enroll",
    "first_name": "Maria",
    "email": "maria@example.com",
    "referral_code": "MRIA2345",
    "consent": "yes",
}


def enrol_maria(url: str, **more: str) -> list[str]:
    """Maria enrols (code MRIA2345) on the site served at `url`, as the browser posts the refer page's
    form; the form's fields, in order."""
    fields = form_fields(url + "/refer/", "enroll")
    post(url + "/thanks/enroll/", fields, MARIA | more)
    return fields


def post(url: str, names: list[str], values: dict[str, str]) -> None:
    """Post every field of the form, in its order, as the browser would (empty when not filled)."""
    fields = [("form-name", values["form-name"]), ("bot-field", "")] + [(n, values.get(n, "")) for n in names]
    body = urllib.parse.urlencode(fields).encode()
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(
            urllib.request.Request(
                url, data=body, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"}
            ),
            timeout=10,
        )
    except urllib.error.HTTPError as answer:
        with answer:
            assert answer.code == 303


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object) -> None:
        return None
