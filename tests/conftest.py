"""Shared fixtures: the shipped bank, its raw data, and Hypothesis profiles."""

from __future__ import annotations

import copy
import os
import tomllib
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from assessment import Bank, load_bank
from assessment.bank import SHIPPED_BANK

settings.register_profile("default", deadline=None)
# The fuzzing profile of issue "Reliability": many examples, run by the test command.
settings.register_profile(
    "fuzz", deadline=None, max_examples=10_000, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def bank() -> Bank:
    """The bank shipped with the package."""
    return load_bank()


@pytest.fixture
def bank_data() -> dict[str, Any]:
    """A fresh, mutable copy of the shipped bank's raw TOML data."""
    with SHIPPED_BANK.open("rb") as file:
        return copy.deepcopy(tomllib.load(file))
