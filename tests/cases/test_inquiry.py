"""The party inquiry: validation first, normalised numbers, the result page, and privacy."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select

from portal.audit import AuditEntry
from portal.cases.models import CaseInquiry

from ..helpers import csrf_token, submit
from .conftest import OTHER_ID, PARTY_ID, PARTY_NAME, case_record

PATH = "/cases/inquiry"
NUMBER = "示检刑诉〔2026〕1247号"
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="[^"]+"')


def ask(client, case_number=NUMBER, name=PARTY_NAME, id_number=PARTY_ID, **environ):
    token = csrf_token(client, PATH)
    return client.post(
        PATH,
        data={
            "case_number": case_number,
            "name": name,
            "id_number": id_number,
            "csrf_token": token,
        },
        environ_base={"REMOTE_ADDR": "192.0.2.10", **environ},
    )


def without_token(html: str) -> str:
    return _TOKEN.sub("", html)


def test_a_party_sees_the_status_of_their_case(client, import_records, publish_document):
    publish_document(title="陈某峰盗窃案起诉书", number="示检刑诉〔2026〕1247号")
    publish_document(title="另一案件起诉书", number="示检刑诉〔2026〕999号")
    import_records(case_record())
    response = ask(client)
    assert response.status_code == 200
    page = response.text
    assert "陈某峰盗窃案" in page and "盗窃罪" in page and "第一检察部" in page
    assert "Review for prosecution" in page  # current stage
    assert page.count("<li><time") == 3  # two stages and one coercive measure
    assert "取保候审" in page
    assert "10 days remaining" in page
    assert "陈某峰盗窃案起诉书" in page and "另一案件起诉书" not in page
    assert response.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "typed_number",
    [
        "示检刑诉[2026]1247号",
        "示检刑诉【２０２６】 1247号",
        " 示检刑诉(2026)1247号 ",
        "示检刑诉〈2026〉1247号",
    ],
)
def test_case_numbers_are_found_whatever_the_brackets_digits_and_spaces(
    client, import_records, typed_number
):
    import_records(case_record())
    assert "陈某峰盗窃案" in ask(client, case_number=typed_number).text


def test_lower_case_x_and_the_15_digit_legacy_number_are_accepted(client, import_records):
    import_records(case_record())
    assert "陈某峰盗窃案" in ask(client, id_number=PARTY_ID.lower()).text
    legacy = PARTY_ID[:6] + PARTY_ID[8:17]  # 110105 880512 027
    assert len(legacy) == 15
    assert "陈某峰盗窃案" in ask(client, id_number=legacy).text


def test_a_wrong_check_digit_is_refused_before_any_lookup(client, db, import_records):
    import_records(case_record())
    bad = PARTY_ID[:17] + ("1" if PARTY_ID[17] != "1" else "2")
    response = ask(client, id_number=bad)
    assert response.status_code == 200
    assert "The identity number is not valid: check the last character." in response.text
    assert 'aria-invalid="true"' in response.text
    assert bad in response.text  # what was typed is kept so that it can be corrected
    db.rollback()
    assert db.scalars(select(CaseInquiry)).all() == []


def test_a_case_number_in_the_wrong_form_gets_an_example(client):
    response = ask(client, case_number="1247")
    assert "Enter the case number in the form 深龙华检刑诉〔2019〕1247号" in response.text


def test_a_wrong_case_number_and_a_wrong_identity_are_indistinguishable(client, import_records):
    import_records(case_record())
    wrong_number = ask(client, case_number="示检刑诉〔2026〕1248号")
    wrong_identity = ask(client, id_number=OTHER_ID)
    wrong_name = ask(client, name="陈晓锋")
    assert wrong_number.status_code == wrong_identity.status_code == wrong_name.status_code == 200
    # The pages differ only in the case number typed, which is shown again to be checked.
    typed = without_token(wrong_number.text).replace("示检刑诉〔2026〕1248号", NUMBER)
    assert typed == without_token(wrong_identity.text)
    assert without_token(wrong_identity.text) == without_token(wrong_name.text)
    assert "We could not find a case that matches" in wrong_number.text
    assert 'value="示检刑诉〔2026〕1248号"' in wrong_number.text
    assert PARTY_ID not in wrong_identity.text and OTHER_ID not in wrong_identity.text
    assert "陈晓锋" not in wrong_name.text  # the name typed is not sent back


def test_both_failures_do_the_same_work(app, client, import_records, monkeypatch):
    """The keyed hashes are computed and the same queries run, whichever part is wrong
    (and for a flagged case too)."""
    import_records(case_record(), case_record(case_number="示检刑诉〔2026〕77号", sealed=True))
    from portal.cases import identity

    hashes: list[str] = []
    real_hash = identity.keyed_hash
    monkeypatch.setattr(
        identity,
        "keyed_hash",
        lambda value, purpose: hashes.append(purpose) or real_hash(value, purpose),
    )
    statements: list[str] = []
    engine = app.extensions["portal.db"].engine

    def note(_conn, _cursor, statement, *_args):
        if "case" in statement.lower():
            statements.append(re.sub(r"\s+", " ", statement))

    event.listen(engine, "before_cursor_execute", note)
    try:
        work = []
        for kwargs in (
            {"case_number": "示检刑诉〔2026〕1248号"},
            {"id_number": OTHER_ID},
            {"case_number": "示检刑诉〔2026〕77号"},
        ):
            hashes.clear()
            statements.clear()
            ask(client, **kwargs)
            work.append((list(hashes), list(statements)))
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert work[0] == work[1] == work[2]
    assert sorted(work[0][0]) == ["cases.party-id", "cases.party-name"]
    assert any("JOIN case_parties" in s for s in work[0][1])


def _approve_requests(app, create_staff, count: int) -> list[str]:
    """`count` approved access requests for the case NUMBER: their codes."""
    from portal.cases import services
    from portal.db import get_session

    officer = create_staff("case_officer")
    codes = []
    with app.app_context():
        db = get_session()
        for n in range(count):
            fields = services.AccessRequestFields(
                case_number=NUMBER,
                role="defender",
                relation="辩护人",
                requester_name=f"律师{n}",
                id_number=OTHER_ID,
                phone="0755-12345678",
                email=f"lawyer{n}@example.com",
            )
            request = services.submit_access_request(db, fields)
            codes.append(
                services.approve_access_request(
                    db, request, reason="ok", officer=officer, access_days=90, query_url="x"
                )
            )
        db.commit()
    return codes


def test_code_lookups_do_the_same_work(app, client, import_records, create_staff, monkeypatch):
    """One argon2 verification whether the case is unknown, the code wrong for a case
    with three approved requests, or the code right: the time tells nothing."""
    from portal.hashing import hasher

    import_records(case_record())
    codes = _approve_requests(app, create_staff, 3)
    verified: list[str] = []

    class CountingHasher:
        def __init__(self, real):
            self.real = real

        def verify(self, stored, typed):
            verified.append(stored)
            return self.real.verify(stored, typed)

    with app.app_context():
        access_codes = hasher("access_code")
    monkeypatch.setattr(access_codes, "argon2", CountingHasher(access_codes.argon2))

    def code_lookup(case_number: str, code: str) -> tuple[int, str]:
        verified.clear()
        response = submit(client, "/cases/code", {"case_number": case_number, "code": code})
        return len(verified), response.text

    unknown_case = code_lookup("示检刑诉〔2026〕1248号", codes[1])
    wrong_code = code_lookup(NUMBER, "ABCD-EFGH-JKMN")
    right_code = code_lookup(NUMBER, codes[2].lower())
    assert (unknown_case[0], wrong_code[0], right_code[0]) == (1, 1, 1)
    assert "陈某峰盗窃案" in right_code[1]
    assert "陈某峰盗窃案" not in wrong_code[1] and "陈某峰盗窃案" not in unknown_case[1]


def test_codes_approved_before_the_keyed_hash_still_work(
    app, client, db, import_records, create_staff
):
    """Older approvals have only an argon2 hash: found by the fallback, then given a keyed hash."""
    from sqlalchemy import update

    from portal.cases.models import AccessRequest

    import_records(case_record())
    [code] = _approve_requests(app, create_staff, 1)
    db.execute(update(AccessRequest).values(code_lookup=None))
    db.commit()
    found = submit(client, "/cases/code", {"case_number": NUMBER, "code": code})
    assert "陈某峰盗窃案" in found.text
    db.expire_all()
    assert db.scalar(select(AccessRequest.code_lookup)) is not None


@pytest.mark.parametrize("flag", [{"minor": True}, {"secret": True}, {"sealed": True}])
def test_flagged_cases_answer_exactly_like_unknown_ones(client, import_records, flag):
    import_records(case_record(**flag))
    flagged = ask(client)
    unknown = ask(client, case_number="示检刑诉〔2026〕1248号")
    assert flagged.status_code == unknown.status_code == 200
    # Alike but for the case number typed, which each page shows again.
    same = without_token(unknown.text).replace("示检刑诉〔2026〕1248号", NUMBER)
    assert without_token(flagged.text) == same
    assert "陈某峰盗窃案" not in flagged.text


def test_every_lookup_is_audited_without_the_identity_number(client, db, import_records):
    import_records(case_record())
    ask(client)
    ask(client, id_number=OTHER_ID)
    db.rollback()
    entries = db.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == "cases.inquiry.party")
        .order_by(AuditEntry.seq)
    ).all()
    assert [e.details["found"] for e in entries] == [True, False]
    assert entries[0].target_type == "case" and entries[1].target_id is None
    for entry in entries:
        text = repr((entry.actor, entry.target_id, entry.details))
        assert PARTY_ID not in text and OTHER_ID not in text and PARTY_NAME not in text


def test_no_case_data_in_urls_or_the_log(client, import_records, caplog):
    import_records(case_record())
    response = ask(client)
    assert response.status_code == 200 and not response.headers.get("Location")
    assert response.request.path == PATH and not response.request.query_string
    for record in caplog.records:
        message = record.getMessage()
        assert PARTY_ID not in message and "1247" not in message


def test_lookups_are_limited_per_address(app, client, import_records):
    app.config["CASE_INQUIRY_LIMIT"] = "3 per hour"
    import_records(case_record())
    statuses = [ask(client, case_number=f"示检刑诉〔2026〕{n}号").status_code for n in range(1, 5)]
    assert statuses == [200, 200, 200, 429]
    # Another address is not affected.
    assert ask(client, REMOTE_ADDR="192.0.2.99").status_code == 200


def test_lookups_are_limited_per_case_number_from_any_address(app, client, import_records):
    app.config["CASE_NUMBER_LIMIT"] = "2 per hour"
    import_records(case_record())
    statuses = [
        ask(client, id_number=OTHER_ID, REMOTE_ADDR=f"192.0.2.{n}").status_code for n in range(1, 4)
    ]
    assert statuses == [200, 200, 429]
    # Spelling the number another way does not get round the limit.
    assert (
        ask(client, case_number="示检刑诉[2026]1247号", REMOTE_ADDR="192.0.2.50").status_code == 429
    )
    assert (
        ask(client, case_number="示检刑诉〔2026〕7号", REMOTE_ADDR="192.0.2.51").status_code == 200
    )


def test_the_start_page_is_the_case_inquiry_area(client):
    home = client.get("/")
    assert 'href="/cases/"' in home.text
    start = client.get("/cases/")
    assert start.status_code == 200
    for path in ("/cases/inquiry", "/cases/access", "/cases/code"):
        assert f'href="{path}"' in start.text
