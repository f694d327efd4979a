"""`flask content load` for documents: idempotent, and it names every bad file and field."""

from __future__ import annotations

from sqlalchemy import func, select

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
    assert "1 created" in output
    assert "notype.md: field 'type' is missing" in output
    assert "baddate.md: field 'signed' must be a date" in output
    assert "early.md: field 'published'" in output
    assert "phone.md: personal data found (mobile)" in output
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
