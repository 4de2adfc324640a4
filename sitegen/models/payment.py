"""What a visit costs and how patients pay: prices as practices write them, insurance and financing."""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.core.schema import spec
from sitegen.models.common import Url


@dataclass(frozen=True, kw_only=True)
class Price:
    """One line of a price list. `amount: 14, unit: unit` is "$14 per unit"; `prefix: from` makes it a
    starting price; `up_to` makes a range ("$3,500 to $5,000"); `amount: 0` is free; no amount at all
    is "priced at your consultation". Amounts are numbers in the site's `currency`."""

    label: str = spec("what is priced, e.g. Per unit, Full face, Consultation")
    amount: float | None = spec(
        "the price as a number (the lowest of a range); 0 for free; "
        "leave out for 'priced at your consultation'",
        None,
    )
    up_to: float | None = spec(
        'the highest price of a range: amount 3500, up_to 5000 is "$3,500 to $5,000"', None
    )
    prefix: str = spec('text before the amount; "from" marks a starting price', "")
    unit: str = spec("what the amount is for, one word or two: unit, area, session, syringe, visit", "")
    note: str = spec("small print shown under the price", "")

    @property
    def starting(self) -> bool:
        """The amount is the lowest a patient pays, not the price (a "from" price)."""
        return bool(self.prefix)

    @property
    def free(self) -> bool:
        return self.amount == 0 and self.up_to is None


@dataclass(frozen=True, kw_only=True)
class Financing:
    """A way to pay over time, such as a patient-financing card or a payment plan."""

    provider: str = spec("who offers it, e.g. CareCredit, Cherry, our own payment plan")
    terms: str = spec(
        "the terms in a sentence, e.g. 6 or 12 months with no interest on purchases over $200", ""
    )
    url: Url = spec("where patients apply or read more: a full https:// address", Url(""))
