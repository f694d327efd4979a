"""Passwords and codes are hashed at full argon2 cost outside the test suite's own app."""

from __future__ import annotations

from argon2 import extract_parameters
from flask import Flask

from portal.db import get_session
from portal.hashing import COSTS, TEST_COST
from portal.staff import services as staff_services
from portal.submissions.codes import check_query_code, hash_query_code, new_query_code

from .conftest import TEST_PASSWORD


def _new_staff_hash(app: Flask, username: str) -> str:
    with app.app_context():
        db = get_session()
        user = staff_services.create_staff(
            db, username=username, password=TEST_PASSWORD, roles=["moderator"], actor="test"
        )
        db.commit()
        return user.password_hash


def test_an_app_without_the_test_setting_hashes_at_production_cost(app: Flask):
    assert extract_parameters(_new_staff_hash(app, "quick")) == TEST_COST
    app.config["FAST_HASHING"] = False
    assert extract_parameters(_new_staff_hash(app, "careful")) == COSTS["password"]
    assert COSTS["password"].memory_cost >= 64 * 1024 and COSTS["password"].time_cost >= 3
    with app.app_context():
        code = new_query_code()
        stored = hash_query_code(code)
        assert extract_parameters(stored) == COSTS["query_code"]
        assert check_query_code(stored, code) and not check_query_code(stored, new_query_code())


def test_the_test_setting_is_ignored_outside_testing(app: Flask):
    app.config["TESTING"] = False
    assert extract_parameters(_new_staff_hash(app, "production")) == COSTS["password"]


def test_a_password_hashed_at_test_cost_signs_in_and_is_rehashed_at_full_cost(app: Flask):
    _new_staff_hash(app, "upgraded")
    app.config["FAST_HASHING"] = False
    with app.app_context():
        db = get_session()
        assert staff_services.check_password(db, "upgraded", "wrong password!!") is None
        user = staff_services.check_password(db, "upgraded", TEST_PASSWORD)
        assert user is not None
        assert extract_parameters(user.password_hash) == COSTS["password"]
        db.commit()
