"""Kiosk tests walk the other features' journeys: their fixtures, shared."""

from ..cases.conftest import import_records  # noqa: F401  (fixture)
