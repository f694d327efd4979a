"""Demo content: two questionnaires with answers, so `make run` shows results at once."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import utcnow
from ..staff.models import StaffUser
from . import services
from .models import Questionnaire


def build_sample(
    db: Session,
    staff: StaffUser,
    *,
    title: str = "来访群众满意度调查",
    audience: str = "public",
    department: str = "控告申诉检察部",
    publish: bool = True,
) -> Questionnaire:
    """A questionnaire with each kind of question and one conditional question.

    1. satisfaction (required); 2. how you contacted us (single, required);
    3. why not satisfied (free text, up to 50 characters, only if 2's answer is 不满意);
    4. what to improve (multiple choice, 1 to 2 answers); 5. would you recommend (yes/no).
    """
    q = services.create_questionnaire(
        db,
        services.QuestionnaireFields(
            title=title,
            introduction="请花两分钟告诉我们您对本院工作的评价。问卷不记名。",
            department=department,
            audience=audience,
        ),
        staff,
    )
    add = services.add_question
    rating = services.QuestionFields("rating3", "您对本次接待是否满意？", "总体评价", True)
    add(db, q, rating, staff)
    add(
        db,
        q,
        services.QuestionFields(
            "single", "您是通过什么方式联系我们的？", "总体评价", True, ["电话", "来访", "网上"]
        ),
        staff,
    )
    dissatisfied = next(o for o in q.questions[0].options if o.value == "dissatisfied")
    add(
        db,
        q,
        services.QuestionFields(
            "text",
            "请告诉我们不满意的原因。",
            "意见建议",
            True,
            max_length=50,
            condition_option_id=dissatisfied.id,
        ),
        staff,
    )
    add(
        db,
        q,
        services.QuestionFields(
            "multiple",
            "您认为哪些方面需要改进？",
            "意见建议",
            False,
            ["接待态度", "办事效率", "信息公开", "等候环境"],
            min_choices=1,
            max_choices=2,
        ),
        staff,
    )
    add(db, q, services.QuestionFields("yesno", "您会向他人推荐网上办理吗？", "意见建议"), staff)
    if publish:
        services.publish_questionnaire(db, q, staff)
    return q


def load_demo(db: Session, staff: StaffUser | None) -> None:
    """Two questionnaires and a few months of fictional answers (skipped if already there)."""
    if staff is None or db.scalar(select(Questionnaire).limit(1)) is not None:
        return
    rng = random.Random(7)  # noqa: S311 - fictional demo answers, nothing secret
    now = utcnow()
    for department in ("控告申诉检察部", "第一检察部"):
        q = build_sample(db, staff, department=department, title=f"{department}满意度调查")
        first, second = q.questions[0], q.questions[1]
        for n in range(40):
            rating = rng.choices(first.options, weights=[6, 3, 1])[0]
            parsed = services.ParsedAnswers(
                choices={first.id: [rating.id], second.id: [rng.choice(second.options).id]},
            )
            if rating.value == "dissatisfied":
                parsed.texts[q.questions[2].id] = "等候时间较长。"
            response = services.submit_response(
                db,
                q,
                parsed,
                channel=rng.choice(["online", "kiosk"]),
                today=now.date(),
                token=f"demo-{department}-{n}",
            )
            response.submitted_at = now - timedelta(days=rng.randrange(0, 150))
    build_sample(db, staff, title="案件回访问卷", audience="invitation", department="第二检察部")
    db.flush()


def load_demo_reply_ratings(db: Session, staff: StaffUser | None) -> None:
    """Answer three demo submissions and rate the replies, so the results show reply ratings."""
    from ..submissions import services as submissions
    from ..submissions.models import ReplyRating, Submission

    if staff is None or db.scalar(select(ReplyRating.id).limit(1)) is not None:
        return
    waiting = db.scalars(
        select(Submission)
        .where(Submission.status == "received", Submission.anonymous.is_(False))
        .order_by(Submission.id)
        .limit(3)
    ).all()
    now = utcnow()
    for submission, rating in zip(waiting, ("satisfied", "fair", "unsatisfied"), strict=False):
        submissions.change_status(db, submission, "accepted", "依法受理。", staff, now)
        reply = submissions.post_reply(
            db,
            submission,
            "经审查，您反映的问题已依法处理，详见书面答复。",
            staff,
            now,
            track_url="/submissions/track",
            new_status="answered",
        )
        submissions.rate_reply(db, submission, reply.id, rating, "", now)
    db.flush()
