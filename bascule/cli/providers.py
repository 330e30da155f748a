"""`bascule providers`: print the offer registry with each offer's standing on a date."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from bascule.cli.commands import emit
from bascule.registry.load import default_registry
from bascule.report.providers import RENDERERS

WINDOW_DAYS = 180  # SOV-011's default warning window
MAX_AGE_DAYS = 90  # SOV-011's default registry age limit


def cmd_providers(args: argparse.Namespace) -> int:
    registry = default_registry()
    on: dt.date = args.today or dt.date.today()
    document = RENDERERS[args.format](registry, on, WINDOW_DAYS, MAX_AGE_DAYS)
    age = registry.age_days(on)
    if age > MAX_AGE_DAYS:
        print(
            f"bascule: warning: {registry.origin}: reviewed {registry.reviewed.isoformat()}, "
            f"{age} days before {on.isoformat()}: re-check the visas against ANSSI's catalogue",
            file=sys.stderr,
        )
    emit(document, args.output, "providers: registry written to")
    return 0
