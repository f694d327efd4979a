"""Demo open days for `flask demo load`: two liaison offices, a first-come open day
and a lottery one, with sessions in the coming weeks (fictional data)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import FCFS, LOTTERY, Office, OpenDay, OpenDaySession
from .services import local_zone


def load_demo_open_days(db: Session, now: datetime) -> int:
    """Create the demo offices and open days unless they exist; returns how many were added."""
    if db.scalar(select(Office.id).limit(1)) is not None:
        return 0
    south = Office(
        name="城南检察联络室",
        address="示例区城南路 8 号",
        hours="周一至周五 9:00–12:00，14:00–17:30",
        contact="0000-12309001",
        directions="地铁 2 号线城南站 B 口出，向东步行 300 米。",
    )
    main = Office(
        name="示例区人民检察院（本院）",
        address="示例市示例区法治大道 100 号",
        hours="周一至周五 8:30–17:30",
        contact="0000-12309000",
        directions="公交 15 路、42 路法治大道站下车。",
    )
    db.add_all([south, main])
    db.flush()
    zone = local_zone()
    today = now.astimezone(zone).date()

    def at(days: int, hour: int) -> datetime:
        day = today + timedelta(days=days)
        return datetime(day.year, day.month, day.day, hour, tzinfo=zone)

    days = [
        OpenDay(
            office_id=main.id,
            title="检察开放日：走进公诉厅",
            description=(
                "参观案件管理大厅和公诉厅，旁听一场模拟庭审，与员额检察官面对面交流。\n\n"
                "适合市民、人大代表和政协委员参加。"
            ),
            what_to_bring="请提前 15 分钟到达，安检后入场。",
            opens_at=now - timedelta(days=2),
            closes_at=at(12, 18),
            max_party=1,
            allocation=FCFS,
            waitlist_limit=30,
            questionnaire_url="https://survey.example/open-day",
        ),
        OpenDay(
            office_id=south.id,
            title="未成年人检察开放日（学校团体）",
            description="面向中小学校的法治教育活动：参观未成年人检察工作室，观看法治宣传片。",
            what_to_bring="带队老师请携带学校介绍信。",
            opens_at=now - timedelta(days=1),
            closes_at=at(20, 18),
            min_age=10,
            max_party=30,
            allocation=LOTTERY,
        ),
    ]
    db.add_all(days)
    db.flush()
    db.add_all(
        [
            OpenDaySession(
                open_day_id=days[0].id, starts_at=at(14, 9), ends_at=at(14, 11), capacity=40
            ),
            OpenDaySession(
                open_day_id=days[0].id, starts_at=at(14, 14), ends_at=at(14, 16), capacity=40
            ),
            OpenDaySession(
                open_day_id=days[1].id, starts_at=at(25, 9), ends_at=at(25, 11), capacity=120
            ),
        ]
    )
    db.flush()
    return len(days)
