"""Where every page lives: its public URL and its file in the output folder.

One table maps each content kind to its URL pattern, so URLs are decided in one place, and a slug is
checked before it becomes part of a path: a slug can never climb out of the output folder.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from urllib.parse import SplitResult, urlsplit

SAFE_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

REFER_URL = "/refer/"
TERMS_URL = "/refer/terms/"
FEEDBACK_URL = "/refer/feedback/"
WELCOME_URL = "/welcome/"
CARD_URL = "/print/referral-card/"
PERSONAL_LINK = "/r/"
HOME_SLUG = "index"
TAGS_URL = "/posts/tags/"
FAQ_URL = "/faq/"
REVIEW_URL = "/review/"


def is_safe_slug(slug: str) -> bool:
    return bool(SAFE_SLUG.fullmatch(slug))  # fullmatch: `$` alone would accept a trailing newline


def slug_hint(slug: str) -> str:
    suggestion = slugify(slug)
    example = f' such as "{suggestion}"' if suggestion and suggestion != slug else ""
    return f"use lower-case letters, digits and single hyphens only{example}"


@functools.lru_cache(maxsize=1 << 14)  # every post's topics, on every build
def slugify(text: str) -> str:
    """A readable ASCII slug from any text (tags, titles): 'Sun care & SPF' -> 'sun-care-spf'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def tag_url(tag_slug: str) -> str:
    return f"{TAGS_URL}{tag_slug}/"


def paginated_url(index_url: str, page_number: int) -> str:
    return index_url if page_number == 1 else f"{index_url}page/{page_number}/"


def out_path_for(url: str) -> str:
    """The file (relative, POSIX) that serves `url`: directory URLs get an index.html."""
    path = url.lstrip("/")
    if not path or path.endswith("/"):
        return f"{path}index.html"
    return path


@functools.lru_cache(maxsize=1 << 16)
def split_url(url: str) -> SplitResult:
    """`urlsplit`, remembered: the checks split the same links of every document on every build (its
    own cache keeps only the last 128, so 50,000 links on a large site missed it every time)."""
    return urlsplit(url)
