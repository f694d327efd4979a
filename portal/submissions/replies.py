"""Reply templates for staff, in Chinese and in English, adapted to each kind.

The text is the reply's content, written in the language the officer picks
(not the interface language), so it is kept here rather than in the catalog.

Writing a template: the part the officer must supply is a named field in
braces, `{authority}`, and the field's name must be a key of `FIELDS` (which
gives the label of the input the reply form shows for it). `{kind}` is filled
in when the template is picked (控告, appeal...). A reply that still contains
a `{field}`, or one of the old bracketed gaps in `LEGACY_GAPS`, cannot be sent:
`fill_fields` says which field is missing. Each template belongs to the status
it announces and is offered, and accepted, only with that status.
"""

from __future__ import annotations

import re
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
    "judicial_aid": ("司法救助申请", "application for judicial aid"),
    "lawyer_appointment": ("辩护与代理预约", "appointment request"),
}

# The fields a handler fills in: name in the template text -> label of the input.
FIELDS: dict[str, LazyString] = {
    "authority": _l("Name of the authority it was passed to"),
    "items": _l("The material needed"),
    "reason": _l("The reason"),
    "answer": _l("The answer"),
}

# Gaps the templates used before they had named fields, and a reply pasted from
# an old text may still hold: each is refused as the field it stood for.
LEGACY_GAPS: dict[str, str] = {
    "（单位名称）": "authority",
    "(name of the authority)": "authority",
    "（请列明）": "items",
    "(list it)": "items",
    "（理由）": "reason",
    "(reason)": "reason",
    "（答复内容）": "answer",
    "(answer)": "answer",
}

MARKER = re.compile(r"\{([a-z_]{1,30})\}")


@dataclass(frozen=True)
class ReplyTemplate:
    key: str
    label: LazyString
    status: str
    zh: str
    en: str

    def fields(self) -> tuple[str, ...]:
        """The named fields this template asks for, in the order they appear."""
        names = MARKER.findall(self.zh + self.en)
        return tuple(dict.fromkeys(n for n in names if n in FIELDS))


TEMPLATES: tuple[ReplyTemplate, ...] = (
    ReplyTemplate(
        "accepted",
        _l("Accepted"),
        "accepted",
        "您提交的{kind}已收悉。经审查，本院决定依法受理，将在三个月内告知办理进展或结果。",
        "We have received your {kind}. After review, we have accepted it and will tell you of "
        "its progress or result within three months.",
    ),
    ReplyTemplate(
        "more_material",
        _l("More material needed"),
        "more_material",
        "您提交的{kind}已收悉。为依法审查，请补充以下材料：{items}。您可以使用查询码在本网站补充材料。",
        "We have received your {kind}. To review it, we need the following material: {items}. "
        "You can add it on this website with your codes.",
    ),
    ReplyTemplate(
        "transferred",
        _l("Transferred"),
        "transferred",
        "您提交的{kind}不属于本院管辖，已依法移送{authority}处理，请您与该单位联系。",
        "Your {kind} is not within our competence. We have passed it to {authority}, "
        "which will handle it; please contact them.",
    ),
    ReplyTemplate(
        "not_accepted",
        _l("Not accepted"),
        "not_accepted",
        "您提交的{kind}经审查，因{reason}不符合受理条件，本院依法不予受理。",
        "After review, we cannot accept your {kind} because {reason}.",
    ),
    ReplyTemplate(
        "answered",
        _l("Result"),
        "answered",
        "关于您提交的{kind}，本院经依法办理，现答复如下：{answer}。",
        "Concerning your {kind}, after handling it according to law, our answer is as follows: "
        "{answer}.",
    ),
)

TEMPLATES_BY_KEY = {template.key: template for template in TEMPLATES}


class UnfilledField(Exception):
    """The reply still has a gap; `field` names it (a key of FIELDS, or None)."""

    def __init__(self, field: str | None, marker: str) -> None:
        super().__init__(marker)
        self.field = field
        self.marker = marker


def fill(template: ReplyTemplate, kind: str, language: str) -> str:
    """The template's text with the kind named, its other fields left as `{name}`."""
    zh, en = KIND_NAMES[kind]
    text = template.zh if language == "zh" else template.en
    return text.replace("{kind}", zh if language == "zh" else en)


def templates_for(statuses: tuple[str, ...] | list[str]) -> list[ReplyTemplate]:
    """The templates that may go out with one of `statuses`."""
    return [t for t in TEMPLATES if t.status in statuses]


def fill_fields(body: str, values: dict[str, str]) -> str:
    """Put the handler's values into the reply; raise UnfilledField for the first gap
    that is left (a `{name}` without a value, or an old bracketed gap)."""

    def put(match: re.Match[str]) -> str:
        name = match.group(1)
        value = (values.get(name) or "").strip()
        if name not in FIELDS or not value:
            raise UnfilledField(name if name in FIELDS else None, match.group(0))
        return value

    filled = MARKER.sub(put, body)
    for gap, name in LEGACY_GAPS.items():
        if gap in filled:
            raise UnfilledField(name, gap)
    return filled
