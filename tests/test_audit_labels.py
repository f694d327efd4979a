"""Every audit action the code records has a label staff read in their language, and the
audit page shows labels, never codes."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from portal import audit
from portal.audit_labels import ACTION_LABELS, revision_note

PORTAL = Path(__file__).resolve().parent.parent / "portal"


def _pattern(node: ast.JoinedStr) -> re.Pattern[str]:
    parts = [
        re.escape(str(v.value)) if isinstance(v, ast.Constant) else "[a-z_]+" for v in node.values
    ]
    return re.compile("".join(parts) + "$")


def _prefix(func: ast.FunctionDef) -> str:
    """The text a module's `_audit` helper puts before its `action` (f"kiosk.{action}")."""
    for node in ast.walk(func):
        value = node.value if isinstance(node, ast.keyword) and node.arg == "action" else None
        if isinstance(value, ast.JoinedStr) and isinstance(value.values[0], ast.Constant):
            return str(value.values[0].value)
    return ""


# `submissions.services.audit_action(db, staff, action, submission)`, used across modules.
SHARED_HELPER_ACTION = 2


def _values(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.IfExp):
        return _values(node.body) + _values(node.orelse)
    return [node]


def recorded_actions() -> tuple[set[str], list[re.Pattern[str]]]:
    """The actions the code passes to `audit.record`, to a module's `_audit` helper or to
    `audit_action`:
    fixed codes, and patterns for codes built with an f-string."""
    codes: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for path in PORTAL.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        helper = next(
            (n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "_audit"), None
        )
        index = [a.arg for a in helper.args.args].index("action") if helper else -1
        prefix = _prefix(helper) if helper else ""
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            name = getattr(call.func, "attr", getattr(call.func, "id", ""))
            found: list[ast.expr] = [k.value for k in call.keywords if k.arg == "action"]
            if name == "_audit" and helper is not None and len(call.args) > index:
                found.append(call.args[index])
                add = prefix
            elif name == "audit_action" and len(call.args) > SHARED_HELPER_ACTION:
                found.append(call.args[SHARED_HELPER_ACTION])  # submissions.services'
                add = ""
            elif name == "record" and found:
                add = ""
            else:
                continue
            for value in (v for node in found for v in _values(node)):
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    codes.add(add + value.value)
                elif isinstance(value, ast.JoinedStr) and not (name == "_audit" and prefix):
                    patterns.append(_pattern(value))
    return codes, patterns


def test_every_recorded_action_has_a_label_and_every_label_an_action():
    codes, patterns = recorded_actions()
    assert "submission.reply" in codes and "kiosk.revoke" in codes  # the scan sees helpers
    assert codes - ACTION_LABELS.keys() == set()
    for pattern in patterns:
        assert any(pattern.match(key) for key in ACTION_LABELS), pattern.pattern
    unused = {
        key for key in ACTION_LABELS if key not in codes and not any(p.match(key) for p in patterns)
    }
    assert unused == set()


def test_an_action_without_a_label_is_refused(app):
    from portal.db import get_session

    with app.app_context(), pytest.raises(ValueError, match="no label"):
        audit.record(get_session(), action="survey.made_up", actor="tester")


def test_revision_notes_written_by_the_portal_are_translated(app):
    with app.test_request_context(headers={"Cookie": "portal_lang=zh_Hans"}):
        assert revision_note("personal data masked") == "已遮蔽个人信息"
        assert revision_note("loaded from a.md") == "从文件 a.md 载入"
        assert revision_note("typed by staff") == "typed by staff"
