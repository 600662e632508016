"""The reports' fixtures, thin wrappers over tests/worlds/: the three regions whose seed
documents the PDFs follow, and an empty cache around every test."""

import pytest
from django.core.cache import cache

from tests import worlds
from tests.worlds.seeds import GOOI_PILLARS, ZEELAND_BUDGET_NOTE, ZEELAND_SUMMARY

__all__ = ["GOOI_PILLARS", "ZEELAND_BUDGET_NOTE", "ZEELAND_SUMMARY"]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def zeeland(db):
    """The Aanvalsplan project of Regio Deal Zeeland, peildatum 1-1-2020 (tests/worlds/seeds.py)."""
    return worlds.zeeland().project


@pytest.fixture
def gooi(db):
    """Werken aan Werk of Gooi en Vechtstreek, peildatum 1-7-2021 (tests/worlds/seeds.py)."""
    return worlds.gooi().programme


@pytest.fixture
def kennemerland(db):
    """The doe-agenda 2020-2022 of Zuid-Kennemerland en IJmond (tests/worlds/seeds.py)."""
    return worlds.zuid_kennemerland().programme
