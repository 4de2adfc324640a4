"""Who a person is, for matching only: the keys that self-referral, duplicate-friend and existing-patient
checks compare, so an email written another way is still the same inbox.

The keys are never shown or hashed into a reward's id (those keep the email as exported, trimmed and
lower-cased), so a reward's id does not change when this rule grows.
"""

from __future__ import annotations

import re
import unicodedata

GMAIL = frozenset({"gmail.com", "googlemail.com"})
_NOT_DIGIT = re.compile(r"[^0-9]+")


def _visible(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII), without invisible format characters (Unicode
    category Cf: zero-width space U+200B, byte-order mark U+FEFF, soft hyphen, direction marks)."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def email_key(text: str) -> str:
    """The inbox an email reaches: NFKC, invisible characters removed, trimmed, lower case, a `+tag` of
    the local part dropped (every provider), and for gmail.com and googlemail.com (one provider) the dots
    of the local part too. '' for an empty email."""
    if not text.isascii():
        text = _visible(text)
    text = text.strip().lower()
    local, at, domain = text.rpartition("@")
    if not at:
        return text
    local = local.split("+", 1)[0]
    if domain in GMAIL:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def phone_key(text: str) -> str:
    """A phone's digits (after NFKC, so full-width digits count), without a leading US country code; ''
    when too short to be a phone number."""
    if not text.isascii():
        text = _visible(text)
    digits = _NOT_DIGIT.sub("", text)
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    return digits if len(digits) >= 7 else ""
