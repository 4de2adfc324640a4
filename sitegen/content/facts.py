"""Checks of one document's facts that its fields' types cannot express: prices that make no sense,
special hours that are not hours or overlap, a membership without a price. Each names its line."""

from __future__ import annotations

from typing import Any

from sitegen.content.sources import RawDocument
from sitegen.core.errors import Diagnostics, SourceLocation
from sitegen.core.yamlmarks import LocatedDict, LocatedList
from sitegen.models import Location, Membership, Service
from sitegen.models.hours import RANGE_HINT

CURRENCY_SIGNS = set("$€£¥")


def check_facts(model: Any, raw: RawDocument, diagnostics: Diagnostics) -> bool:
    """Report what is wrong in `model` (loaded from `raw`); True when nothing is."""
    before = len(diagnostics.errors)
    if isinstance(model, Service):
        _prices(model, raw, diagnostics)
    elif isinstance(model, Location):
        _special_hours(model, raw, diagnostics)
    elif isinstance(model, Membership) and model.price <= 0:
        diagnostics.error(
            "SG239",
            f"price: {model.price:g} is not a price for a membership",
            _at(raw, "price"),
            "give what it costs, e.g. `price: 99`; a free membership is a gift with a value "
            "(see the reward limits in docs/referral.md)",
        )
    return len(diagnostics.errors) == before


def _at(raw: RawDocument, *path: str | int) -> SourceLocation:
    """The line of the deepest part of `path` (keys and list positions) that the file has."""
    node: Any = raw.meta
    line = getattr(node, "line", 0)
    for part in path:
        in_dict = isinstance(node, LocatedDict) and part in node
        in_list = isinstance(node, LocatedList) and isinstance(part, int) and part < len(node)
        if not (in_dict or in_list):
            break
        line, node = node.line_of(part), node[part]
    return SourceLocation(raw.src_path, line)


def _money(amount: float) -> str:
    return f"{amount:,.2f}".removesuffix(".00")


def _prices(service: Service, raw: RawDocument, diagnostics: Diagnostics) -> None:
    for index, price in enumerate(service.prices):
        where = f"prices[{index + 1}]"
        for name in ("amount", "up_to"):
            value = getattr(price, name)
            if value is not None and value < 0:
                diagnostics.error(
                    "SG235",
                    f"{where}.{name}: a price cannot be negative ({_money(value)})",
                    _at(raw, "prices", index, name),
                    "write the amount patients pay; a discount is its own price line or a note",
                )
        if price.up_to is not None and price.amount is None:
            diagnostics.error(
                "SG235",
                f"{where}: up_to {_money(price.up_to)} without an amount to start the range",
                _at(raw, "prices", index, "up_to"),
                "a range is amount (the lowest) and up_to (the highest), e.g. amount: 3500, up_to: 5000",
            )
        elif price.up_to is not None and price.amount is not None and price.up_to <= price.amount:
            diagnostics.error(
                "SG235",
                f"{where}: the range ends ({_money(price.up_to)}) at or below where it starts "
                f"({_money(price.amount)})",
                _at(raw, "prices", index, "up_to"),
                "amount is the lowest price and up_to the highest; for one price, leave up_to out",
            )
        unit = price.unit.strip()
        if unit and (
            unit.lower().startswith(("per ", "a ", "/", "each"))
            or any(c.isdigit() or c in CURRENCY_SIGNS for c in unit)
        ):
            diagnostics.error(
                "SG236",
                f'{where}.unit: "{unit}" is not a unit',
                _at(raw, "prices", index, "unit"),
                'name what one amount buys, in a word or two, without "per" or numbers: '
                "unit, area, session, syringe, visit",
            )
    for index, package in enumerate(service.packages):
        if package.price < 0:
            diagnostics.error(
                "SG235",
                f"packages[{index + 1}].price: a price cannot be negative ({_money(package.price)})",
                _at(raw, "packages", index, "price"),
                "write the amount patients pay for the package",
            )


def _special_hours(location: Location, raw: RawDocument, diagnostics: Diagnostics) -> None:
    good = []
    for index, day in enumerate(location.special_hours):
        where = f"special_hours[{index + 1}]"
        if day.until is not None and day.until < day.date:
            diagnostics.error(
                "SG237",
                f"{where} ({day.label}): until {day.until.isoformat()} is before the first day "
                f"{day.date.isoformat()}",
                _at(raw, "special_hours", index, "until"),
                "until is the last day of the run, on or after date",
            )
            continue
        if not day.closed and day.times is None:
            diagnostics.error(
                "SG237",
                f'{where} ({day.label}): hours "{day.hours}" are not a time range',
                _at(raw, "special_hours", index, "hours"),
                RANGE_HINT,
            )
            continue
        for other_index, other in good:
            if day.date <= other.last and other.date <= day.last:
                diagnostics.error(
                    "SG238",
                    f"{where} ({day.label}) overlaps special_hours[{other_index + 1}] ({other.label}) "
                    f"on {max(day.date, other.date).isoformat()}",
                    _at(raw, "special_hours", index, "date"),
                    "give each day one entry: shorten one of the runs or merge them",
                )
                break
        good.append((index, day))
