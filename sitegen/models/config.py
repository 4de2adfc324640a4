"""site.yaml: the practice itself and site-wide settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sitegen.core.schema import Invalid, derived, scalar, spec
from sitegen.models.common import CheckSettings, Colour, Https, Image, Link
from sitegen.models.forms import FormsConfig
from sitegen.models.payment import Financing
from sitegen.models.practicetypes import PROFILES, BusinessType, PracticeType


@dataclass(frozen=True, kw_only=True)
class Contact:
    phone: str = spec("main phone number, as patients should dial it, e.g. (512) 555-0142")
    email: str = spec("public contact address", "")


@dataclass(frozen=True, kw_only=True)
class Brand:
    """Brand settings become CSS custom properties in the theme; no web fonts are fetched from elsewhere."""

    primary: Colour = spec("main brand colour (buttons, links)", Colour("#2f5d62"))
    accent: Colour = spec("second colour (highlights)", Colour("#c17c5b"))
    text: Colour = spec("body text colour", Colour("#1f2a2e"))
    background: Colour = spec("page background", Colour("#fbf8f4"))
    logo: Image | None = spec(
        "logo image in content/static/ (SVG or PNG); the practice name is shown when absent", None
    )
    font_body: str = spec(
        "CSS font stack for text; fonts must be installed or shipped in static/",
        "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    )
    font_heading: str = spec("CSS font stack for headings", "Georgia, 'Times New Roman', serif")
    radius: str = spec("corner radius of cards and buttons, a CSS length", "0.5rem")
    surface: Colour = spec("background of cards, panels and form fields", Colour("#ffffff"))
    on_primary: Colour = spec("text on the main colour (buttons, numbered steps)", Colour("#ffffff"))
    fonts: list[Font] = spec(
        "font files shipped with the site in content/static/, declared with @font-face", factory=list
    )
    dark_mode: bool = spec(
        "true adds a dark look for visitors whose device asks for one (prefers-color-scheme)", False
    )
    dark: DarkBrand = spec(
        "the colours of the dark look, used when dark_mode is true", factory=lambda: DarkBrand()
    )


@dataclass(frozen=True, kw_only=True)
class Font:
    """A font file of content/static/; name its family in font_body or font_heading."""

    family: str = spec("the family name the font stacks use, e.g. Inter")
    src: str = spec("public path of a .woff2 or .woff file in content/static/, e.g. /fonts/inter.woff2")
    weight: str = spec('the weight or weight range the file covers, e.g. 400 or "100 900"', "400")
    style: str = spec("normal or italic", "normal")


@dataclass(frozen=True, kw_only=True)
class DarkBrand:
    """Colours of the dark look; each is checked for contrast like the light ones."""

    primary: Colour = spec("main colour on the dark background (links, buttons)", Colour("#b7aef0"))
    accent: Colour = spec("second colour", Colour("#e0a487"))
    text: Colour = spec("body text colour", Colour("#ebe8e3"))
    background: Colour = spec("page background", Colour("#16151c"))
    surface: Colour = spec("background of cards, panels and form fields", Colour("#22212b"))
    on_primary: Colour = spec("text on the main colour", Colour("#16151c"))


@dataclass(frozen=True, kw_only=True)
class Analytics:
    """Off unless set: a third-party analytics script, allowed by the Content-Security-Policy by its origin
    only."""

    script: Https = spec(
        "the https:// address of the analytics script, e.g. https://plausible.io/js/script.js"
    )
    domain: str = spec("the site's name at the analytics service, passed as data-domain", "")
    connect: list[Https] = spec(
        "other https:// origins the script sends data to; default: the script's own", factory=list
    )


def _booking_url(text: str) -> str:
    text = text.strip()
    if not (text.startswith("https://") or (text.startswith("/") and not text.startswith("//"))):
        raise Invalid(
            f'"{text}" is not a booking address',
            "write a page of this site (/book/) or the full https:// address of your online scheduler",
        )
    return text


@scalar(_booking_url)
class BookingUrl(str):
    """Where the booking button leads: a page of the site (/book/) or an https:// scheduler."""


def _parameter(text: str) -> str:
    text = text.strip()
    if not text or any(c in text for c in " &=?#/\\\"'<>"):
        raise Invalid(
            f'"{text}" is not the name of an address parameter',
            "write the name your scheduler documents, as it appears before the = in its address, e.g. ref",
        )
    return text


@scalar(_parameter)
class UrlParameter(str):
    """The name of a parameter in a web address's query (`ref` in `?ref=ABCD2345`)."""


@dataclass(frozen=True, kw_only=True)
class Booking:
    """The booking button: in the home page's hero, at the top of every service and location page, and in a
    bar at the bottom of a phone's screen."""

    label: str = spec("the button's text; default: \"Book a consultation\" in the page's language", "")
    url: BookingUrl | None = spec(
        "where it leads: a page of the site (/book/) or your online scheduler's https:// address; "
        "default: /book/ when the site has that page, else a call to the main phone",
        None,
    )
    services: dict[str, BookingUrl] = spec(
        "a service's own booking address, by its slug, e.g. `laser-hair-removal: https://...`", factory=dict
    )
    locations: dict[str, BookingUrl] = spec(
        "a location's own booking address, by its slug, used on that location's page", factory=dict
    )
    referral_parameter: UrlParameter | None = spec(
        "the parameter of your online scheduler's address that takes a referral code, e.g. `ref`: an "
        "invited friend's button then opens `...?ref=<their code>`; without it, an invited friend is sent "
        "to the request form (/book/, when the site has it), which carries the code",
        None,
    )
    campaign_parameter: UrlParameter | None = spec(
        "with `referral_parameter`, the scheduler's parameter for the campaign of the friend's link "
        "(its utm_campaign), e.g. `utm_campaign`",
        None,
    )


def _repository(text: str) -> str:
    value = text.strip().strip("/")
    parts = value.split("/")
    if len(parts) < 2 or not all(parts) or any(c.isspace() or c in ":@?#" for c in value):
        raise Invalid(
            f'"{value[:80]}" is not a repository name',
            "write the repository as owner/name, as in its address, e.g. smile-dental/website",
        )
    return value


@scalar(_repository)
class Repository(str):
    """A repository at a Git host, as owner/name (GitLab groups may nest: group/sub/name)."""


@dataclass(frozen=True, kw_only=True)
class Editor:
    """The browser editor at /admin/ on the published site (off unless set; `sitegen serve` always has
    it, saving to this computer). See docs/editor.md for each backend's sign-in."""

    backend: Literal["github", "gitlab", "gitea", "git-gateway"] = spec(
        "where the editor saves: the Git host of the site's repository (git-gateway: Netlify's, deprecated)"
    )
    repo: Repository = spec("the site's repository as owner/name, e.g. smile-dental/website")
    branch: str = spec("the branch the published site is built from", "main")
    base_url: Https | None = spec(
        "the https:// address of the sign-in (OAuth) service for GitHub or a custom one, "
        "e.g. https://auth.example.com",
        None,
    )
    auth_endpoint: str = spec("the sign-in service's path when not `auth`, e.g. api/auth", "")
    app_id: str = spec("the OAuth application's ID (GitLab and Gitea: sign-in with PKCE, no service)", "")
    api_root: Https | None = spec("the API address of a self-hosted GitLab or Gitea", None)
    identity_url: Https | None = spec(
        "git-gateway only: the sign-in service replacing Netlify Identity, e.g. DecapBridge's", None
    )
    gateway_url: Https | None = spec("git-gateway only: the gateway that writes to the repository", None)
    site_folder: str = spec("the site's folder in the repository, e.g. site; empty: its root", "")


@dataclass(frozen=True, kw_only=True)
class SiteConfig:
    name: str = spec("the practice's name as patients know it")
    base_url: str = spec("the address the site is published at, e.g. https://www.example-medspa.com")
    description: str = spec(
        "one or two sentences about the practice, used by search engines and link previews"
    )
    contact: Contact = spec("main phone and email")
    tagline: str = spec("short line shown under the name on the home page", "")
    languages: list[str] = spec(
        "the site's languages as two-letter codes, e.g. [en, es]; the first is the default, "
        "served at /, the others under /es/ and so on",
        factory=lambda: ["en"],
    )
    country: str = spec(
        "two-letter country code of the practice: with the language, how dates and prices are "
        'written (es in the US: "$150", not "150 US$")',
        "US",
    )
    type: PracticeType = spec(
        "the kind of practice: dental, dermatology, med_spa, plastic_surgery, physical_therapy, optometry, "
        "primary_care or generic; decides the schema.org types search engines see and the wording defaults "
        "(docs/practices.md)",
        "generic",
    )
    business_type: BusinessType | None = spec(
        "the schema.org type search engines see for the practice; default: the one of its `type`", None
    )
    currency: str = spec("ISO currency code for prices", "USD")
    insurance: list[str] = spec(
        "health plans the practice accepts, one per item, e.g. Delta Dental PPO; shown on treatment and "
        "office pages",
        factory=list,
    )
    insurance_note: str = spec(
        "a sentence about insurance shown with the plans, e.g. We file claims for you; or, with no plans, "
        "why not, e.g. We do not bill insurance; we give you a receipt for your plan",
        "",
    )
    financing: list[Financing] = spec(
        "ways to pay over time, e.g. CareCredit, shown with prices", factory=list
    )
    brand: Brand = spec("colours, logo and fonts", factory=Brand)
    image: Image | None = spec("default picture for link previews (Open Graph)", None)
    menu: list[Link] = spec("main navigation; by default services, team, locations, news, FAQ", factory=list)
    footer_links: list[Link] = spec(
        "extra links in the footer; by default the pages with `menu: footer`", factory=list
    )
    social: list[Link] = spec(
        "the practice's social profiles (plain links, no embedded widgets)", factory=list
    )
    reviews: list[Link] = spec(
        "the practice's public review profiles (Google, Yelp, Healthgrades, ...); /review/ offers every "
        "patient all of them",
        factory=list,
    )
    booking: Booking = spec("the booking button: its text and where it leads", factory=Booking)
    posts_per_page: int = spec("posts per page of the news index", 10)
    forms: FormsConfig = spec("the form service and changes to the built-in forms", factory=FormsConfig)
    analytics: Analytics | None = spec(
        "third-party analytics; off by default, and never on referral or booking pages", None
    )
    editor: Editor | None = spec(
        "publish the browser editor at /admin/ with a Git backend; off by default (docs/editor.md)", None
    )
    allow_html: bool = spec(
        "true keeps raw HTML in Markdown as written (scripts, frames, styles); off by default", False
    )
    theme: str = spec("theme name: a folder in themes/ of the site or one shipped with sitegen", "default")
    theme_settings: dict[str, str] = spec(
        "values for the settings the theme accepts (see its theme.yaml), e.g. `hero_style: band`",
        factory=dict,
    )
    copyright: str = spec("footer copyright holder; default: the practice name", "")
    check: CheckSettings = spec(
        "rules of `sitegen check` silenced for this file, with the reason", factory=CheckSettings
    )

    src_path: str = derived("")
    field_lines: dict = derived(None)  # "brand.logo" -> line in site.yaml, for messages

    def at_line(self, name: str) -> int:
        return (self.field_lines or {}).get(name, 0)

    @property
    def schema_types(self) -> tuple[str, ...]:
        """The practice's schema.org types: its `business_type` when given, else its type's."""
        return (self.business_type,) if self.business_type else PROFILES[self.type].schema_types

    @property
    def language(self) -> str:
        return self.languages[0] if self.languages else "en"
