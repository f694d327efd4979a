"""Demo questions and answers for `flask demo load` (fictional, no asker behind them):
published as they would be after approval, so that a fresh demo shows the answers
page, the offer on the consultation start page and the related articles."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..page_cache import bump_generation
from .models import PublicAnswer

# (topic, language, title, question, answer)
DEMO = (
    (
        "petitions",
        "zh_Hans",
        "不起诉决定可以申诉吗",
        "检察院对我被打伤的案件作出了不起诉决定，我觉得处理过轻，还能做什么？",
        "被害人对不起诉决定不服的，可以自收到决定书后七日内向上一级人民检察院申诉，"
        "也可以不经申诉直接向人民法院起诉。申诉可以通过本门户在线提交，也可以到控告申诉"
        "检察部接待窗口当面提出。",
    ),
    (
        "services",
        "zh_Hans",
        "申请国家司法救助需要准备什么材料",
        "我家人被打成重伤，对方赔不起钱，家里生活很困难，可以申请司法救助吗？需要带什么？",
        "刑事案件被害人因案件陷入生活困难的，本人或者近亲属可以申请国家司法救助。请准备"
        "身份证明、案件情况、受到损害的证明、生活困难的证明和接收救助金的银行账户。可以在"
        "本门户在线申请并上传材料，也可以到接待窗口申请。",
    ),
    (
        "services",
        "en",
        "How can a lawyer book a case file reading?",
        "I am defending a client whose case is under prosecution review. How do I read the file?",
        "Book a file reading with the case management department and bring your practising "
        "certificate, the letter of authorisation and your law firm's letter. You may copy "
        "the case materials and ask to meet the prosecutor handling the case.",
    ),
    (
        "minors",
        "zh_Hans",
        "发现孩子可能受到侵害，应当向谁报告",
        "学校老师发现学生身上经常有伤，问孩子又不肯说，应该怎么办？",
        "密切接触未成年人的单位和人员发现未成年人疑似受到侵害的，应当立即向公安、民政、"
        "教育等部门报告。检察机关会依法介入，保护孩子的安全和隐私。",
    ),
)


def load_demo_answers(db: Session, now: datetime) -> int:
    """Publish the demo answers unless any answer exists; returns how many were added."""
    if db.scalar(select(func.count()).select_from(PublicAnswer)):
        return 0
    for days, (topic, language, title, question, answer) in enumerate(DEMO):
        when = now - timedelta(days=7 * (days + 1))
        db.add(
            PublicAnswer(
                topic=topic,
                language=language,
                title=title,
                question=question,
                answer=answer,
                status="published",
                published_at=when,
                created_at=when,
                updated_at=when,
            )
        )
    db.flush()
    bump_generation(db)
    return len(DEMO)
