"""`flask content load` for documents: idempotent, and it names every bad file and field."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.audit import AuditEntry
from portal.disclosure.models import Document

GOOD = """---
number: 示检刑诉〔2020〕12号
type: indictment
title: 孙某某交通肇事案起诉书
case_name: 孙某某交通肇事案
charge: 交通肇事罪
department: 第一检察部
signed: 2020-03-02
judgment_effective: 2020-05-06
published: 2020-05-10T02:00:00Z
language: zh_Hans
---
## 经审查查明

被告人孙某某驾驶货车在示例区建设路附近发生交通事故。
"""


def _write(folder, name, text):
    (folder / "pages").mkdir(exist_ok=True)
    (folder / "documents").mkdir(exist_ok=True)
    (folder / "documents" / name).write_text(text, encoding="utf-8")


def test_loading_twice_changes_nothing(app, db, tmp_path):
    _write(tmp_path, "a.md", GOOD)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["content", "load", "--dir", str(tmp_path)])
    assert first.exit_code == 0, first.output
    assert "1 created" in first.output
    second = runner.invoke(args=["content", "load", "--dir", str(tmp_path)])
    assert "0 created, 0 updated, 1 unchanged" in second.output
    assert db.scalar(select(func.count()).select_from(Document)) == 1
    assert runner.invoke(args=["search", "check"]).exit_code == 0


def test_bad_files_are_named_with_their_field_and_the_rest_load(app, db, tmp_path):
    _write(tmp_path, "good.md", GOOD)
    _write(tmp_path, "notype.md", GOOD.replace("type: indictment\n", ""))
    _write(
        tmp_path,
        "baddate.md",
        GOOD.replace("signed: 2020-03-02", "signed: 2020年3月").replace("12号", "13号"),
    )
    _write(
        tmp_path,
        "early.md",
        GOOD.replace("published: 2020-05-10", "published: 2020-05-01").replace("12号", "14号"),
    )
    _write(
        tmp_path,
        "phone.md",
        GOOD.replace("发生交通事故。", "发生交通事故，电话13800138000。").replace("12号", "15号"),
    )
    _write(tmp_path, "nonumber.md", GOOD.replace("number: 示检刑诉〔2020〕12号\n", ""))
    result = app.test_cli_runner().invoke(args=["content", "load", "--dir", str(tmp_path)])
    output = result.output
    assert result.exit_code == 1
    assert "1 created" in output
    assert "5 file(s) refused" in output
    assert "notype.md:2:1: field 'type' is missing" not in output  # no such line to point at
    assert "notype.md: field 'type' is missing" in output
    assert "baddate.md:8:1: field 'signed' must be a date" in output
    assert "early.md:10:1: field 'published'" in output
    assert "phone.md:15:29: personal data (mobile" in output
    assert "nonumber.md: field 'number'" in output
    assert db.scalar(select(func.count()).select_from(Document)) == 1


def test_the_sample_corpus_loads_cleanly(app, db):
    result = app.test_cli_runner().invoke(args=["content", "load"])
    assert result.exit_code == 0, result.output
    assert "problem" not in result.output
    assert db.scalar(select(func.count()).select_from(Document)) >= 200
    types = set(db.scalars(select(Document.doc_type).distinct()))
    assert len(types) == 7
    assert set(db.scalars(select(Document.language).distinct())) == {"zh_Hans", "en"}


def _load(app, folder):
    return app.test_cli_runner().invoke(args=["content", "load", "--dir", str(folder)])


def test_every_problem_of_a_file_is_listed_at_once_with_line_and_column(app, db, tmp_path):
    text = (
        GOOD.replace("signed: 2020-03-02", "signed: 2020年3月")
        .replace("language: zh_Hans\n", "language: zh_Hans\nsensitve_names: [孙某]\n")
        .replace(
            "发生交通事故。",
            "发生交通事故。\n\n被害人电话 138 0013 8000，卡号 4111-1111-1111-1111。",
        )
    )
    _write(tmp_path, "many.md", text)
    result = _load(app, tmp_path)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "many.md" in line]
    assert len(lines) == 4, result.output
    assert "unknown field(s) 'sensitve_names'; known fields: case_name, charge," in lines[0]
    assert "personal_data_allowed, published, sensitive_names, signed, slug," in lines[0]
    assert "many.md:8:1: field 'signed' must be a date" in result.output
    # 13 lines of front matter; the phone is on the body's fifth line, after "被害人电话 ".
    assert "many.md:18:7: personal data (mobile, would be masked as '138****8000')" in lines[2]
    assert "many.md:18:24: personal data (bank_card" in lines[3]
    assert "13800138000" not in result.output.replace(" ", "")  # the report masks too
    assert db.scalar(select(func.count()).select_from(Document)) == 0


def test_a_file_refused_makes_the_command_fail_and_the_others_load(app, db, tmp_path):
    _write(tmp_path, "good.md", GOOD)
    _write(tmp_path, "bad.md", GOOD.replace("12号", "16号").replace("type: indictment", "typ: x"))
    result = _load(app, tmp_path)
    assert result.exit_code == 1
    assert "1 created" in result.output and "1 file(s) refused" in result.output
    assert db.scalar(select(func.count()).select_from(Document)) == 1


ALLOWED = GOOD.replace(
    "language: zh_Hans\n",
    "language: zh_Hans\n"
    "personal_data_allowed:\n"
    "  - text: 示例区建设路1号\n"
    "    kind: address\n"
    "    reason: 被告单位示例公司的注册地址，单位不是自然人\n",
).replace("发生交通事故。", "发生交通事故。被告单位住所地示例区建设路1号。")


def test_personal_data_allowed_with_a_reason_loads_and_is_audited(app, db, tmp_path):
    _write(tmp_path, "allowed.md", ALLOWED)
    result = _load(app, tmp_path)
    assert result.exit_code == 0, result.output
    doc = db.scalar(select(Document))
    assert "示例区建设路1号" in doc.body_markdown
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "document.guard_allowed"))
    assert entry.target_id == str(doc.id)
    assert entry.details["kind"] == "address"
    assert entry.details["reason"].startswith("被告单位示例公司")
    assert "建设路1号" not in str(entry.details)  # a hash, never the text


@pytest.mark.parametrize(
    "entry, message",
    [
        ("  - text: 示例区建设路1号\n", "needs a 'reason' of at least 10 characters"),
        (
            "  - text: 示例区建设路1号\n    reason: 公司注册地址而非住址\n    kind: adress\n",
            "kind 'adress'",
        ),
        ("  - 示例区建设路1号\n", "must have 'text' and 'reason'"),
    ],
)
def test_a_personal_data_allowance_without_a_good_reason_is_refused(
    app, db, tmp_path, entry, message
):
    text = GOOD.replace(
        "language: zh_Hans\n", f"language: zh_Hans\npersonal_data_allowed:\n{entry}"
    ).replace("发生交通事故。", "发生交通事故。被告单位住所地示例区建设路1号。")
    _write(tmp_path, "weak.md", text)
    result = _load(app, tmp_path)
    assert result.exit_code == 1
    assert "weak.md:12:1: field 'personal_data_allowed' entry 1" in result.output
    assert message in result.output
    assert "personal data (address" in result.output  # the finding is still reported
    assert db.scalar(select(func.count()).select_from(Document)) == 0


def test_an_allowance_that_matches_nothing_is_a_warning(app, db, tmp_path):
    _write(tmp_path, "stale.md", ALLOWED.replace("被告单位住所地示例区建设路1号。", ""))
    result = _load(app, tmp_path)
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and "matches nothing" in result.output


def test_the_procuratorates_own_address_and_a_courts_are_not_refused(app, db, tmp_path):
    body = (
        "本院地址：示例市示例区法治大道100号，联系电话0000-12309000。"
        "示例市示例区人民法院（示例市示例区审判路8号）公开开庭审理了本案。"
    )
    _write(tmp_path, "official.md", GOOD.replace("发生交通事故。", f"发生交通事故。{body}"))
    result = _load(app, tmp_path)
    assert result.exit_code == 0, result.output
    assert "problem" not in result.output
