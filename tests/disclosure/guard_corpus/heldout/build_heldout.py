"""Writes the held-out corpus (heldout/*.yaml): the same kinds as the main one,
written separately with other numbers, contexts and phrasings. It is measured,
never tuned against.

    python tests/disclosure/guard_corpus/heldout/build_heldout.py
"""

# ruff: noqa: E501  (one labelled document per line reads best)
from __future__ import annotations

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent.parent))
from corpus_numbers import full_width, groups, make_card, make_id, wrong_id  # noqa: E402

Doc = tuple[str, list[tuple[str, str]]]


def documents() -> dict[str, list[Doc]]:
    p = make_id("360102", "19770623", "519")
    q = make_id("140105", "19951018", "272")
    r = make_id("230103", "19600303", "045")
    s = make_id("460105", "20030707", "618")
    t = make_id("520102", "19840930", "337")
    u = make_id("410105", "19911212", "790")
    w1 = wrong_id("360111", "19820808", "191")
    w2 = wrong_id("150102", "19970101", "526")
    w3 = wrong_id("640104", "19680419", "083")
    c1 = make_card("621661280000123")
    c2 = make_card("622609555500011122")
    c3 = make_card("625965101020304")
    c4 = make_card("603367998877665544")
    c5 = make_card("402674135792468")
    return {
        "id_number": [
            (
                f"Defendant Liu, identity number {groups(p, (4, 4, 4, 4, 2))}, was detained.",
                [("id_number", groups(p, (4, 4, 4, 4, 2)))],
            ),
            (
                f"上诉人马某某，身份证件号码：{q[:14]}\n{q[14:]}；",
                [("id_number", f"{q[:14]}\n{q[14:]}")],
            ),
            (
                f"经比对，现场遗留的身份证复印件号码为{groups(r, (6, 8, 4), '－')}。",
                [("id_number", groups(r, (6, 8, 4), "－"))],
            ),
            (
                f"犯罪嫌疑人苗某某，居民身份证{full_width(groups(s, (4, 4, 4, 4, 2)))}，",
                [("id_number", full_width(groups(s, (4, 4, 4, 4, 2))))],
            ),
            (f"> 身份证号 {t[:3]}\n> {t[3:]}", [("id_number", f"{t[:3]}\n> {t[3:]}")]),
            (f"委托人花某某（证件号{u}）委托律师代理本案。", [("id_number", u)]),
            (
                f"附：当事人证件号 {groups(u, (2, 4, 4, 4, 4))}",
                [("id_number", groups(u, (2, 4, 4, 4, 4)))],
            ),
        ],
        "possible_id_number": [
            (f"上诉人方某某，身份证号码{w1}。", [("possible_id_number", w1)]),
            (
                f"Identity card: {groups(w2, (6, 8, 4))}",
                [("possible_id_number", groups(w2, (6, 8, 4)))],
            ),
            (f"证件号码{w3[:6]}\n{w3[6:]}", [("possible_id_number", f"{w3[:6]}\n{w3[6:]}")]),
        ],
        "bank_card": [
            (
                f"上述款项汇入户名为俞某某的账户，账号{groups(c1, (4, 4, 4, 4))}。",
                [("bank_card", groups(c1, (4, 4, 4, 4)))],
            ),
            (f"Account {groups(c2, (6, 13))} was frozen.", [("bank_card", groups(c2, (6, 13)))]),
            (
                f"借记卡：{groups(c3, (4, 4, 4, 4), '－')}",
                [("bank_card", groups(c3, (4, 4, 4, 4), "－"))],
            ),
            (
                f"被害人的储蓄卡{c4[:7]}\n{c4[7:]}内存款被转走。",
                [("bank_card", f"{c4[:7]}\n{c4[7:]}")],
            ),
            (f"卡号为 {full_width(c5)} 的信用卡", [("bank_card", full_width(c5))]),
            (
                f"向{groups(c4, (4, 4, 4, 4, 3), '-')}转账三次。",
                [("bank_card", groups(c4, (4, 4, 4, 4, 3), "-"))],
            ),
        ],
        "mobile": [
            ("Mobile: +86 139-2000-3000.", [("mobile", "+86 139-2000-3000")]),
            (
                "证人任某某（电话一五九…已删除）另留有号码185 5555 6666。",
                [("mobile", "185 5555 6666")],
            ),
            (
                "其本人手机为１３３－１２１２－３４３４，",
                [("mobile", "１３３－１２１２－３４３４")],
            ),
            ("通话记录显示与0086-13544445555多次通话。", [("mobile", "0086-13544445555")]),
            ("支付宝账号绑定18100001111。", [("mobile", "18100001111")]),
        ],
        "email": [
            (
                "Contact e-mail yu.moumou@example.net was used.",
                [("email", "yu.moumou@example.net")],
            ),
            ("注册邮箱：ren2020+shop@example.com.cn。", [("email", "ren2020+shop@example.com.cn")]),
        ],
        "address": [
            (
                "上诉人马某某，户籍所在地示例省示例市示例区朝阳路二十六号红星小区四栋三单元七〇一室。",
                [("address", "示例省示例市示例区朝阳路二十六号红星小区四栋三单元七〇一室")],
            ),
            (
                "经常居住地为示例市示例区和谐家园18号楼2单元603室。",
                [("address", "示例市示例区和谐家园18号楼2单元603室")],
            ),
            (
                "被害人居住于示例县示例镇新华街四十四号。",
                [("address", "示例县示例镇新华街四十四号")],
            ),
            (
                "现住示例市示例区春晓路66弄12号1001室。",
                [("address", "示例市示例区春晓路66弄12号1001室")],
            ),
            (
                "住所地示例市示例区龙湖天街花园七幢二〇五室",
                [("address", "示例市示例区龙湖天街花园七幢二〇五室")],
            ),
            (
                "家住示例市示例区观澜路9号观澜府3号楼1单元2102室，",
                [("address", "示例市示例区观澜路9号观澜府3号楼1单元2102室")],
            ),
            ("暂住示例市示例区示例村十一组七号", [("address", "示例市示例区示例村十一组七号")]),
        ],
        "mixed": [
            (
                f"上诉人（原审被告人）柳某某，女，公民身份号码{groups(t, (6, 8, 4), ' ')}，"
                f"住示例市示例区光明路五号光明苑六栋一单元二〇一室，手机号15677778888，"
                f"工资卡{groups(c1, (4, 4, 4, 4), '-')}。",
                [
                    ("id_number", groups(t, (6, 8, 4), " ")),
                    ("address", "示例市示例区光明路五号光明苑六栋一单元二〇一室"),
                    ("mobile", "15677778888"),
                    ("bank_card", groups(c1, (4, 4, 4, 4), "-")),
                ],
            ),
        ],
        "negative": [
            ("粤检刑不诉〔2023〕7号不起诉决定书", []),
            ("赔偿金额人民币1,234,567元，其中精神损害抚慰金人民币50000元。", []),
            ("案发于2023年11月30日晚8时，2023.12.01报案。", []),
            ("群众可拨打12345政务服务便民热线、110报警或96110反诈专线。", []),
            (
                "控告申诉电话：0000-12309003，来信请寄示例市示例区法治大道100号本院控告申诉检察部。",
                [],
            ),
            ("示例市公安局刑侦支队（地址：示例市示例区警民路1号）出具的情况说明。", []),
            ("示例县人民法院位于示例县示例镇法院路二十号。", []),
            ("当事人手机号尾号为8888，身份证号前六位为440106。", []),
            ("账户6217 **** **** **** 567已于当日销户。", []),
            ("被告人身份证号：36**************19，已隐去。", []),
            ("案号：（2023）示01刑终456号；执行案号（2024）示0103执789号。", []),
            ("扣押物品清单编号20231130000123456号。", []),
            ("诉讼服务中心地址：示例市示例区审判路8号诉讼服务大厅一楼，电话0000-12368。", []),
            ("Please call the 12309 hotline or write to No. 100 Fazhi Avenue.", []),
            ("违反《治安管理处罚法》第四十九条之规定。", []),
        ],
    }


def main() -> None:
    out = Path(__file__).parent
    sets = documents()
    for name, docs in sets.items():
        items = []
        for text, expected in docs:
            for _kind, span in expected:
                assert span in text, (span, text)
            items.append({"text": text, "expect": [list(pair) for pair in expected]})
        (out / f"{name}.yaml").write_text(
            yaml.safe_dump(
                items, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=None
            ),
            encoding="utf-8",
        )
    print(sum(len(d) for d in sets.values()), "documents")


if __name__ == "__main__":
    main()
