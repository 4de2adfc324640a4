"""content/program.yaml: the referral program, its rewards and its terms; content/campaigns/*.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from sitegen.core.schema import derived, spec
from sitegen.models import fields
from sitegen.models.common import CheckSettings, Url
from sitegen.models.content import Document
from sitegen.models.practice import FaqItem

RewardKind = Literal[
    "credit",
    "discount",
    "spend_card",
    "gift_card",
    "donation",
    "product",
    "recognition",
    "early_access",
    "seminar",
]
MONETARY = {"credit", "discount", "spend_card", "gift_card", "donation", "product"}


@dataclass(frozen=True, kw_only=True)
class Reward:
    kind: RewardKind = spec(
        "what the reward is: credit, discount, spend_card, gift_card, donation, product, "
        "recognition, early_access or seminar"
    )
    value: float | None = spec("what it is worth in money (0 for recognition, early access, seminars)", None)
    description: str = spec("how patients read it, e.g. $50 credit toward any treatment")
    told_to_referrer: str = spec(
        "friend_reward only: the same offer as the referrer is told about it, in the third person, "
        "e.g. $50 off their first treatment (description is what the friend reads: ...your first treatment)",
        "",
    )

    @property
    def monetary(self) -> bool:
        return self.kind in MONETARY


@dataclass(frozen=True, kw_only=True)
class Tier:
    name: str = spec("the tier's name, e.g. Ambassador")
    referrals: int = spec("successful referrals needed to reach it")
    reward: Reward = spec("the reward given on reaching it")


@dataclass(frozen=True, kw_only=True)
class Charity:
    name: str = spec("the charity's name")
    description: str = spec("one sentence about its work", "")
    url: Url = spec("its website, a full https:// address", Url(""))


@dataclass(frozen=True, kw_only=True)
class SuccessRule:
    """What makes a referral successful: the friend's first paid visit within a number of days."""

    event: Literal["first_paid_visit", "first_visit", "consultation"] = spec(
        "what the friend must do: first_paid_visit, first_visit or consultation", "first_paid_visit"
    )
    within_days: int = spec("days after the friend's appointment request within which it must happen")


@dataclass(frozen=True, kw_only=True)
class Limits:
    per_referral: float | None = spec("the most a single referral can earn, in money", None)
    per_year: float | None = spec(
        "the most one patient can receive in a calendar year, in money (all rewards)", None
    )
    referrals_per_year: int | None = spec(
        "the most referrals one patient can be rewarded for in a year", None
    )


@dataclass(frozen=True, kw_only=True)
class Terms:
    """Structured clauses; /refer/terms/ is generated from them, in this order."""

    version: str = spec("version of the terms, e.g. 2.1; change it with every change")
    effective: date = spec("date these terms take effect")
    eligibility: str = spec("who may refer, e.g. current patients aged 18 or over")
    new_patient: str = spec("who counts as a new patient")
    reward_timing: str = spec("when and how rewards are given")
    restrictions: list[str] = spec("restrictions, one per item (no cash, not combinable, ...)", factory=list)
    privacy: str = spec("how personal data of patients and friends is used")
    changes: str = spec("how the program may change or end")
    additional: list[str] = spec("further clauses, in plain words", factory=list)
    checksum: str = spec(
        "the wording's fingerprint, as `sitegen check` gives it (SG633): a change of wording without a "
        "new version is then noticed",
        "",
    )


@dataclass(frozen=True, kw_only=True)
class LegalReview:
    reviewed_by: str = spec("who reviewed the program and terms (name, firm)")
    reviewed_on: date = spec("date of that review")


@dataclass(frozen=True, kw_only=True)
class Compliance:
    payer_scope: Literal["cash_pay", "mixed", "federal"] = spec(
        "who pays for the practice's services: cash_pay only, mixed (some insurance or Medicare), or federal",
        "cash_pay",
    )
    per_item_limit: float = spec("the most a single reward may be worth (the OIG nominal value is $15)", 15)
    per_year_limit: float = spec(
        "the most one patient may receive in a year (the OIG nominal value is $75)", 75
    )
    federal_exclusion: bool = spec(
        "the terms exclude patients of federal health programs where a reward exceeds nominal value", True
    )
    states: list[str] = spec(
        "two-letter codes of the states whose patients the practice serves", factory=list
    )
    review: LegalReview | None = spec("the legal review record", None)


@dataclass(frozen=True, kw_only=True)
class ShareTexts:
    """Pre-written texts patients can edit before sending from their own device; {link} is their link."""

    email_subject: str = spec("subject of the prepared email", "A practice I recommend")
    email_body: str = spec(
        "body of the prepared email; {link} becomes the patient's link",
        "I've been going to {practice} and thought you might like it too. "
        "If you book through my link, you get {friend_offer}: {link}",
    )
    sms: str = spec(
        "the prepared text message; {link} becomes the patient's link",
        "I recommend {practice}. Book through my link for {friend_offer}: {link}",
    )


@dataclass(frozen=True, kw_only=True)
class ReportColumns:
    """Column names of exports that differ from sitegen's; matched without regard to case or spaces."""

    referral_code: str = spec("the column holding the referral code (default: referral_code)", "")
    created_at: str = spec(
        "the submission date of a form export (default: created_at, created, submitted_at, "
        "submitted, submission_date, date or timestamp)",
        "",
    )
    email: str = spec("the email column (default: email, e_mail or email_address)", "")
    phone: str = spec("the phone column (default: phone, phone_number, telephone or mobile)", "")
    first_name: str = spec("the enrolment's first name (default: first_name)", "")
    utm_source: str = spec("the utm_source column (default: utm_source)", "")
    utm_medium: str = spec("the utm_medium column (default: utm_medium)", "")
    utm_campaign: str = spec("the utm_campaign column (default: utm_campaign)", "")
    visit_date: str = spec(
        "the visit's date in the visits export (default: visit_date, date_of_service, service_date or date)",
        "",
    )
    amount: str = spec(
        "what the visit was paid, in the visits export (default: amount, amount_paid, paid or total)", ""
    )
    id: str = spec("a row's id at the form service, named in rewards.csv (default: id)", "")


@dataclass(frozen=True, kw_only=True)
class Excluded:
    """Someone the terms exclude from earning rewards (staff, their households)."""

    email: str = spec("their email", "")
    phone: str = spec("their phone", "")
    reason: str = spec("why, as the report shows it, e.g. staff, or household of a staff member")


@dataclass(frozen=True, kw_only=True)
class ReportSettings:
    """How `sitegen report` reads the exports; see docs/report.md."""

    start: date | None = spec(
        "first day referrals count; earlier ones are flagged (default: terms.effective)", None
    )
    end: date | None = spec("last day of the program, if it has ended; later referrals are flagged", None)
    timezone: str = spec(
        "the practice's time zone, e.g. America/Chicago; timestamps with an offset are "
        "converted to it to find their day",
        "UTC",
    )
    date_format: str = spec(
        "how an export writes dates when not YYYY-MM-DD, in Python strptime codes, e.g. %m/%d/%Y", ""
    )
    new_patient_days: int = spec(
        "a friend who visited within this many days before their request is an "
        "existing patient, not a referral",
        1095,
    )
    columns: ReportColumns = spec("column names of exports that differ from sitegen's", factory=ReportColumns)
    referrer_paid_visit: bool | None = spec(
        "a referrer earns a reward only after a paid visit of their own (default: true when "
        "terms.eligibility mentions a paid visit)",
        None,
    )
    exclude: list[Excluded] = spec(
        "people who may not earn rewards (staff, their households), by email or phone, with the reason",
        factory=list,
    )


@dataclass(frozen=True, kw_only=True)
class Program:
    name: str = spec("the program's name, e.g. The Larkspur Circle")
    headline: str = spec("the heading of /refer/")
    intro: str = spec("a short paragraph under the heading, in Markdown")
    model: Literal["direct", "charitable", "tiered"] = spec("direct, charitable or tiered")
    referrer_reward: Reward | None = spec(
        "reward per successful referral (direct and charitable programs)", None
    )
    friend_reward: Reward | None = spec(
        "what the invited friend gets; a charitable program may leave it out when the friend gets nothing "
        "(the pages then promise the friend nothing, and share texts cannot use {friend_offer})",
        None,
    )
    tiers: list[Tier] = spec(
        "tiered programs: rewards by number of successful referrals, lowest first", factory=list
    )
    charities: list[Charity] = spec(
        "charitable programs: the charities a referrer may choose from", factory=list
    )
    extras: list[Reward] = spec(
        "non-monetary thanks for everyone who refers (recognition, early access, seminars)", factory=list
    )
    success: SuccessRule = spec("what makes a referral successful")
    limits: Limits = spec("caps on rewards", factory=Limits)
    terms: Terms = spec("the program's terms and conditions")
    compliance: Compliance = spec(
        "the limits the practice follows and the legal review record", factory=Compliance
    )
    share: ShareTexts = spec("texts for sharing by email and text message", factory=ShareTexts)
    faq: list[FaqItem] = spec("questions about the program, shown on /refer/", factory=list)
    check: CheckSettings = fields.check()
    report: ReportSettings = spec(
        "settings of `sitegen report`: the program's dates, time zone, export columns", factory=ReportSettings
    )

    src_path: str = derived("")
    intro_html: str = derived("")
    field_lines: dict = derived(None)
    earlier: tuple = derived(())  # the program as it was under earlier terms (content/program-archive/)

    def at_line(self, name: str) -> int:
        return (self.field_lines or {}).get(name, 0)

    @property
    def friend_offer_for_referrer(self) -> str:
        """The friend's offer in the words used to the referrer ("your friend gets ..."); "" without one."""
        reward = self.friend_reward
        return (reward.told_to_referrer or reward.description) if reward else ""

    @property
    def rewards(self) -> list[Reward]:
        """Every reward the program names, for the terms and for limit checks."""
        found = [r for r in (self.referrer_reward, self.friend_reward) if r is not None]
        return found + [t.reward for t in self.tiers] + list(self.extras)


@dataclass(frozen=True, kw_only=True)
class Campaign(Document):
    title: str = spec("the campaign's name, e.g. Spring friends week")
    summary: str = spec("one or two sentences for the landing page and link previews")
    start: date = spec("first day of the campaign; before it the page is not published")
    end: date = spec("last day; after it the page stays but says the offer has ended")
    offer: str = spec(
        "the campaign's offer to the referring patient, in a sentence, e.g. Double credit for every "
        "friend who visits in May"
    )
    friend_offer: str = spec(
        "what the invited friend is told about the campaign on /welcome/, in their own voice; "
        "empty: the friend is shown nothing of it (offer is the referrer's text)",
        "",
    )
    friend_reward: Reward | None = spec("a different friend reward during the campaign", None)
    referrer_reward: Reward | None = spec(
        "the referrer's reward for each friend who comes through the campaign while it runs: instead of "
        "referrer_reward in a direct or charitable program, on top of the tier rewards in a tiered one; "
        "its description is what the referrer reads, e.g. a $10 spend card on top of your tier reward",
        None,
    )
    referrer_reward_by: date | None = spec(
        "last day of the friend's qualifying visit for the campaign's referrer_reward (e.g. January 31 "
        "after a December campaign); empty: the program's success rule alone",
        None,
    )
    tracking_phone: str = spec("a phone number printed only on this campaign, to count its calls", "")
    utm_source: str = spec("utm_source of links shared from the campaign page", "")
    utm_medium: str = spec("utm_medium of those links", "")
    utm_campaign: str = spec("utm_campaign of those links; default: the slug", "")
    slug: str = fields.slug()
    draft: bool = fields.draft()
    check: CheckSettings = fields.check()

    status: str = derived("")  # upcoming, running or ended, on the day of the build
