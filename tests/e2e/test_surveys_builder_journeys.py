"""Journeys: staff change and reorder questions; citizens see questions numbered without
gaps while a conditional question is hidden; English pages show the English wording or the
Chinese marked as Chinese (also at a kiosk); the audit log reads as words, in both languages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal import audit
from portal.db import get_session
from portal.surveys.demo import build_sample
from portal.surveys.models import Questionnaire

from .conftest import enrol_screen
from .test_surveys_journeys import LABELS, _sign_in

pytestmark = pytest.mark.e2e

WORDS = {
    "en": {
        "change": "Change question 2",
        "save": "Save the question",
        "options_en": "Options in English",
        "question_en": "Question in English",
        "up": "Move question 2 up",
        "down": "Move question 2 down",
        "refused": "Question 3 is shown depending on the answer to question 2",
        "audit": "Audit log",
        "reply": "Reply sent",
        "moved": "Question moved",
        "submission": "Submission 7",
    },
    "zh": {
        "change": "修改第 2 题",
        "save": "保存题目",
        "options_en": "英文选项",
        "question_en": "英文题目",
        "up": "第 2 题上移",
        "down": "第 2 题下移",
        "refused": "第 3 题根据第 2 题的回答显示",
        "audit": "审计日志",
        "reply": "发送答复",
        "moved": "调整题目顺序",
        "submission": "信访件 7",
    },
}


def _sample(app, *, publish: bool = True, english: bool = False) -> Questionnaire:
    """The sample questionnaire: 3 asks why, only after 不满意. With `english`, the title,
    question 2 and its first option have English wording; the rest is left Chinese."""
    with app.app_context():
        db = get_session()
        from portal.staff import services as staff_services

        author = staff_services.find_staff(db, "sample-author") or staff_services.create_staff(
            db, username="sample-author", password="x" * 20, roles=["surveys"], actor="test"
        )
        q = build_sample(db, author, publish=publish)
        if english:
            q.title_en = "Visitors' satisfaction"
            q.questions[1].text_en = "How did you contact us?"
            q.questions[1].options[0].label_en = "Phone"
        db.commit()
        for question in q.questions:
            _ = question.options
        return q


@pytest.mark.parametrize("language", ["en", "zh"])
def test_staff_change_and_reorder_questions(request, a11y, app, create_staff, language):
    page: Page = request.getfixturevalue("en_page" if language == "en" else "page")
    t, w = LABELS[language], WORDS[language]
    q = _sample(app, publish=False)
    _sign_in(page, a11y, create_staff("surveys"), t)
    page.goto(f"/staff/questionnaires/{q.id}")
    a11y.check(page)

    page.get_by_role("link", name=w["change"], exact=True).click()
    a11y.check(page)
    expect(page.get_by_label(t["question"], exact=True)).to_have_value(
        "您是通过什么方式联系我们的？"
    )
    page.get_by_label(t["question"], exact=True).fill("您通过哪种方式联系我们？")
    page.get_by_label(w["question_en"]).fill("How did you contact us?")
    page.get_by_label(re.compile(f"^{w['options_en']}")).fill("Phone\nVisit\nOnline")
    page.get_by_role("button", name=w["save"]).click()
    expect(page.locator(".question-list > li").nth(1)).to_contain_text("您通过哪种方式联系我们？")
    expect(page.locator(".question-list > li").nth(1)).to_contain_text("Phone")
    a11y.check(page)

    page.get_by_role("button", name=w["up"]).click()
    expect(page.locator(".question-list > li").first).to_contain_text("您通过哪种方式联系我们？")
    a11y.check(page)
    # The satisfaction question is now 2nd; question 3 depends on it, so it cannot go below.
    page.get_by_role("button", name=w["down"]).click()
    expect(page.get_by_text(w["refused"])).to_be_visible()
    expect(page.locator(".question-list > li").nth(1)).to_contain_text("您对本次接待是否满意？")
    a11y.check(page)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_questions_are_numbered_without_gaps_while_one_is_hidden(request, a11y, app, language):
    page: Page = request.getfixturevalue("en_page" if language == "en" else "page")
    q = _sample(app)
    dissatisfied = "Dissatisfied" if language == "en" else "不满意"
    page.goto(f"/questionnaires/{q.family_id}")
    why = page.locator(f"#question-{q.questions[2].id}")
    improve = page.locator(f"#question-{q.questions[3].id} legend")
    recommend = page.locator(f"#question-{q.questions[4].id} legend")
    expect(why).to_be_hidden()
    expect(improve).to_have_text(re.compile(r"^3\. "))
    expect(recommend).to_have_text(re.compile(r"^4\. "))
    a11y.check(page)
    page.get_by_label(dissatisfied, exact=True).check()
    expect(why.locator("label")).to_have_text(re.compile(r"^3\. "))
    expect(improve).to_have_text(re.compile(r"^4\. "))
    expect(recommend).to_have_text(re.compile(r"^5\. "))
    a11y.check(page)
    # An error summary names the question by the number shown.
    page.get_by_label("Satisfied" if language == "en" else "满意", exact=True).check()
    page.get_by_role("button", name=LABELS[language]["send"]).click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text(re.compile(r"(^|\s)2\. "))
    expect(improve).to_have_text(re.compile(r"^3\. "))
    a11y.check(page)


def test_english_pages_fall_back_to_chinese_marked_as_chinese(en_page: Page, a11y, app):
    q = _sample(app, english=True)
    page = en_page
    page.goto("/questionnaires/")
    expect(page.get_by_role("link", name="Visitors' satisfaction")).to_be_visible()
    a11y.check(page)
    page.get_by_role("link", name="Visitors' satisfaction").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Visitors' satisfaction")
    expect(page.get_by_role("heading", level=1)).not_to_have_attribute("lang", "zh-Hans")
    intro = page.locator(".prose")
    expect(intro).to_have_attribute("lang", "zh-Hans")
    contact = page.locator(f"#question-{q.questions[1].id} legend span[lang]")
    expect(contact).to_have_count(0)
    expect(page.locator(f"#question-{q.questions[1].id} legend")).to_contain_text(
        "How did you contact us?"
    )
    expect(page.get_by_label("Phone", exact=True)).to_be_visible()
    visit = page.locator(f"label[for='q{q.questions[1].id}-{q.questions[1].options[1].id}']")
    expect(visit).to_have_attribute("lang", "zh-Hans")
    expect(visit).to_have_text("来访")
    rating = page.locator(f"#question-{q.questions[0].id} legend span[lang='zh-Hans']")
    expect(rating).to_have_text("您对本次接待是否满意？")
    expect(page.get_by_label("Satisfied", exact=True)).to_be_visible()
    a11y.check(page)


def test_a_kiosk_in_english_shows_the_english_wording(kiosk_page: Page, a11y, app):
    q = _sample(app, english=True)
    page = kiosk_page
    enrol_screen(page, app, a11y)
    page.goto(f"/questionnaires/kiosk/{q.family_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("来访群众满意度调查")
    expect(page.locator("main [lang='zh-Hans']")).to_have_count(0)
    page.get_by_role("link", name="English").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Visitors' satisfaction")
    expect(page.locator(".prose")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_label("Phone", exact=True)).to_be_visible()
    a11y.check(page)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_audit_log_names_actions_in_words(request, a11y, app, create_staff, language):
    page: Page = request.getfixturevalue("en_page" if language == "en" else "page")
    t, w = LABELS[language], WORDS[language]
    with app.app_context():
        db = get_session()
        audit.record(
            db, action="submission.reply", actor="officer", target_type="submission", target_id=7
        )
        audit.record(db, action="survey.move_question", actor="officer")
        db.commit()
    _sign_in(page, a11y, create_staff("admin"), t)
    page.goto("/staff/audit")
    expect(page.get_by_role("heading", level=1)).to_have_text(w["audit"])
    table = page.locator("table")
    expect(table).to_contain_text(w["reply"])
    expect(table).to_contain_text(w["moved"])
    expect(table).to_contain_text(w["submission"])
    expect(table).not_to_contain_text("submission.reply")
    expect(table).not_to_contain_text("staff.login")
    a11y.check(page)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_an_open_day_in_either_language(request, a11y, app, language):
    from ..booking.factories import make_open_day

    page: Page = request.getfixturevalue("en_page" if language == "en" else "page")
    open_day = make_open_day(
        app, title_en="Open day: the trial chamber", what_to_bring_en="Arrive 15 minutes early."
    )
    page.goto(f"/open-days/{open_day.id}")
    heading = page.get_by_role("heading", level=1)
    description = page.locator(".prose")
    if language == "en":
        expect(heading).to_have_text("Open day: the trial chamber")
        expect(description).to_have_attribute("lang", "zh-Hans")
        expect(description).to_have_text("参观办案区，旁听模拟庭审，与检察官交流。")
        expect(page.get_by_text("Arrive 15 minutes early.")).to_be_visible()
    else:
        expect(heading).to_have_text("检察开放日：走进公诉厅")
        expect(description).not_to_have_attribute("lang", "zh-Hans")
        expect(page.locator("main")).not_to_contain_text("trial chamber")
        expect(page.get_by_text("请提前 15 分钟到达。")).to_be_visible()
    a11y.check(page)
