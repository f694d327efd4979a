"""Reply templates for staff, in Chinese and in English, adapted to each kind.

The text is the reply's content, written in the language the officer picks
(not the interface language), so it is kept here rather than in the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

KIND_NAMES: dict[str, tuple[str, str]] = {
    "complaint": ("控告", "complaint"),
    "criminal_appeal": ("刑事申诉", "criminal appeal"),
    "civil_appeal": ("民事/行政申诉", "civil or administrative appeal"),
    "compensation": ("国家赔偿申请", "claim for state compensation"),
    "report": ("举报", "report"),
    "consultation": ("咨询", "question"),
    "suggestion": ("建议", "suggestion"),
}


@dataclass(frozen=True)
class ReplyTemplate:
    key: str
    label: LazyString
    status: str
    zh: str
    en: str


TEMPLATES: tuple[ReplyTemplate, ...] = (
    ReplyTemplate(
        "accepted",
        _l("Accepted"),
        "accepted",
        "您提交的{zh}已收悉。经审查，本院决定依法受理，将在三个月内告知办理进展或结果。",
        "We have received your {en}. After review, we have accepted it and will tell you of its "
        "progress or result within three months.",
    ),
    ReplyTemplate(
        "more_material",
        _l("More material needed"),
        "more_material",
        "您提交的{zh}已收悉。为依法审查，请补充以下材料：（请列明）。您可以使用查询码在本网站补充材料。",
        "We have received your {en}. To review it, we need the following material: (list it). "
        "You can add it on this website with your codes.",
    ),
    ReplyTemplate(
        "transferred",
        _l("Transferred"),
        "transferred",
        "您提交的{zh}不属于本院管辖，已依法移送（单位名称）处理，请您与该单位联系。",
        "Your {en} is not within our competence. We have passed it to (name of the authority), "
        "which will handle it; please contact them.",
    ),
    ReplyTemplate(
        "not_accepted",
        _l("Not accepted"),
        "not_accepted",
        "您提交的{zh}经审查，因（理由）不符合受理条件，本院依法不予受理。",
        "After review, we cannot accept your {en} because (reason).",
    ),
    ReplyTemplate(
        "answered",
        _l("Result"),
        "answered",
        "关于您提交的{zh}，本院经依法办理，现答复如下：（答复内容）。",
        "Concerning your {en}, after handling it according to law, our answer is as follows: "
        "(answer).",
    ),
)

TEMPLATES_BY_KEY = {template.key: template for template in TEMPLATES}


def fill(template: ReplyTemplate, kind: str, language: str) -> str:
    zh, en = KIND_NAMES[kind]
    return template.zh.format(zh=zh) if language == "zh" else template.en.format(en=en)
