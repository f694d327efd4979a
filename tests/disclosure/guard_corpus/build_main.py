"""Writes the main labelled corpus (main/*.yaml). Run once; the YAML is committed.

    python tests/disclosure/guard_corpus/build_main.py

Each document is a short text as staff or a court clerk would type it, with the
findings the guard must report: (kind, exact text). All people, numbers and
addresses are fictional.
"""

# ruff: noqa: E501  (one labelled document per line reads best)
from __future__ import annotations

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from corpus_numbers import full_width, groups, make_card, make_id, wrong_id  # noqa: E402

Doc = tuple[str, list[tuple[str, str]]]


def id_documents() -> list[Doc]:
    a = make_id("440106", "19900307", "451")
    b = make_id("110105", "19850612", "123")
    c = make_id("320102", "19781120", "036")
    d = make_id("510107", "20010915", "274")
    e = make_id("330106", "19660401", "018")
    f = make_id("420111", "19931230", "557")
    g = make_id("610113", "19720808", "092")
    h = make_id("350203", "19880229", "161")
    i = make_id("210202", "19550716", "333")
    j = make_id("370102", "20040101", "885")
    k = make_id("450103", "19991009", "640")
    m = make_id("530102", "19810521", "207")
    x = next(v for s in range(100, 999) if (v := make_id("440304", "19870214", str(s)))[-1] == "X")
    docs: list[Doc] = [
        (f"被告人张某某，男，公民身份号码{a}，汉族。", [("id_number", a)]),
        (f"犯罪嫌疑人李某某（身份证号：{b}）于2021年3月被刑事拘留。", [("id_number", b)]),
        (
            f"身份证号 {groups(c, (4, 4, 4, 4, 2))}，户籍地示例省。",
            [("id_number", groups(c, (4, 4, 4, 4, 2)))],
        ),
        (
            f"被害人王某某，身份证号码{groups(d, (6, 8, 4))}。",
            [("id_number", groups(d, (6, 8, 4)))],
        ),
        (
            f"证人赵某某，身份证号{groups(e, (6, 8, 4), '-')}，系被告人之兄。",
            [("id_number", groups(e, (6, 8, 4), "-"))],
        ),
        (
            f"被告人孙某某，公民身份号码{f[:10]}\n{f[10:]}，汉族，初中文化。",
            [("id_number", f"{f[:10]}\n{f[10:]}")],
        ),
        (
            f"申请人周某某\n身份证号：{g[:6]}\n{g[6:]}\n联系地址见卷宗。",
            [("id_number", f"{g[:6]}\n{g[6:]}")],
        ),
        (f"身份证号码{full_width(h)}，出生于1988年2月29日。", [("id_number", full_width(h))]),
        (f"被告人吴某某的身份证号为{x.lower()}。", [("id_number", x.lower())]),
        (f"公民身份号码：{x}", [("id_number", x)]),
        (
            f"经核实，郑某某（{groups(i, (3, 3, 4, 4, 4))}）系该公司法定代表人。",
            [("id_number", groups(i, (3, 3, 4, 4, 4)))],
        ),
        (
            f"原审被告人冯某某，身份证号{j[:17]}\n{j[17:]}，无业。",
            [("id_number", f"{j[:17]}\n{j[17:]}")],
        ),
        (f"| 姓名 | 身份证号 |\n| 陈某某 | {k} |", [("id_number", k)]),
        (
            f"身份证号：{full_width(groups(m, (6, 8, 4)))}。",
            [("id_number", full_width(groups(m, (6, 8, 4))))],
        ),
        (
            f"被告人褚某某持有的身份证（号码 {groups(a, (4, 4, 4, 4, 2))} ）系伪造。",
            [("id_number", groups(a, (4, 4, 4, 4, 2)))],
        ),
        (f"身份证号：{groups(b, (6, 8, 4), ' - ')}", [("id_number", groups(b, (6, 8, 4), " - "))]),
        (
            "被告人卫某某，原身份证号码110105491231002已换领新证。",
            [("id_number", "110105491231002")],
        ),
        (
            f"蒋某某的身份证号{c[:4]} {c[4:8]}\n{c[8:12]} {c[12:16]} {c[16:]}，住示例省。",
            [("id_number", f"{c[:4]} {c[4:8]}\n{c[8:12]} {c[12:16]} {c[16:]}")],
        ),
        (f"身份证号码为{d}，手机号码未登记。", [("id_number", d)]),
        (f"（身份证号{groups(e, (6, 4, 4, 4))}）", [("id_number", groups(e, (6, 4, 4, 4)))]),
        (f"被告人沈某某，{f}，汉族。", [("id_number", f)]),
        (
            f"韩某某，身份证：{groups(g, (6, 8, 4), '　')}，户籍地示例县。",
            [("id_number", groups(g, (6, 8, 4), "　"))],
        ),
        (
            f"申请人杨某某身份证号码 {h[:12]}\n  {h[12:]} 。",
            [("id_number", f"{h[:12]}\n  {h[12:]}")],
        ),
        (
            f"朱某某（身份证号{full_width(i[:9])}\n{full_width(i[9:])}）",
            [("id_number", f"{full_width(i[:9])}\n{full_width(i[9:])}")],
        ),
        (f"二人的身份证号分别为{j}和{k}。", [("id_number", j), ("id_number", k)]),
    ]
    return docs


def possible_id_documents() -> list[Doc]:
    a = wrong_id("440106", "19900307", "452")
    b = wrong_id("110108", "19761003", "219")
    c = wrong_id("320581", "19890615", "773")
    d = wrong_id("500103", "20020820", "046")
    e = wrong_id("130102", "19640530", "318")
    f = wrong_id("430104", "19921111", "585")
    g = wrong_id("620102", "19850101", "724")
    h = wrong_id("220104", "19700228", "433")
    return [
        (f"被告人秦某某，公民身份号码{a}，汉族。", [("possible_id_number", a)]),
        (f"身份证号：{b}", [("possible_id_number", b)]),
        (
            f"证人尤某某（身份证号{groups(c, (6, 8, 4))}）",
            [("possible_id_number", groups(c, (6, 8, 4)))],
        ),
        (
            f"许某某，身份证号码{groups(d, (4, 4, 4, 4, 2))}，住示例市。",
            [("possible_id_number", groups(d, (4, 4, 4, 4, 2)))],
        ),
        (f"被害人何某某身份证号{e[:9]}\n{e[9:]}。", [("possible_id_number", f"{e[:9]}\n{e[9:]}")]),
        (f"吕某某（{full_width(f)}）", [("possible_id_number", full_width(f))]),
        (f"经查，施某某的身份证号为{g}。", [("possible_id_number", g)]),
        (
            f"张某某，{groups(h, (6, 8, 4), '-')}。",
            [("possible_id_number", groups(h, (6, 8, 4), "-"))],
        ),
    ]


def card_documents() -> list[Doc]:
    a = make_card("622202100012345")  # 16
    b = make_card("621700123456789012")  # 19
    c = make_card("622848001234567")  # 16
    d = make_card("621483765432109876")  # 19
    e = make_card("436742987654321")  # 16
    f = make_card("622588011122233")  # 16
    g = make_card("622700345678901234")  # 19
    h = make_card("518710246813579")  # 16
    i = make_card("621226000011112222")  # 19
    j = make_card("623058112233445566")  # 19
    return [
        (f"被告人将赃款转入其银行卡（卡号{a}）。", [("bank_card", a)]),
        (f"收款账号：{b}", [("bank_card", b)]),
        (
            f"银行卡号{groups(c, (4, 4, 4, 4))}，开户行示例支行。",
            [("bank_card", groups(c, (4, 4, 4, 4)))],
        ),
        (f"银行卡号为{groups(d, (4, 4, 4, 4, 3))}。", [("bank_card", groups(d, (4, 4, 4, 4, 3)))]),
        (
            f"转账至尾号为某某的账户（卡号{groups(b, (6, 13))}）",
            [("bank_card", groups(b, (6, 13)))],
        ),
        (
            f"信用卡号：{groups(e, (4, 4, 4, 4), '-')}",
            [("bank_card", groups(e, (4, 4, 4, 4), "-"))],
        ),
        (
            f"涉案银行卡{groups(g, (4, 4, 4, 4, 3), '-')}已冻结。",
            [("bank_card", groups(g, (4, 4, 4, 4, 3), "-"))],
        ),
        (f"卡号{full_width(f)}，户名王某某。", [("bank_card", full_width(f))]),
        (
            f"被害人名下银行卡（{groups(h, (4, 4, 4, 4))}）被盗刷人民币5000元。",
            [("bank_card", groups(h, (4, 4, 4, 4)))],
        ),
        (f"账号：{groups(i, (6, 13), '-')}", [("bank_card", groups(i, (6, 13), "-"))]),
        (
            f"银行卡号{j[:10]}\n{j[10:]}，交易金额人民币3000元。",
            [("bank_card", f"{j[:10]}\n{j[10:]}")],
        ),
        (
            f"| 户名 | 卡号 |\n| 李某某 | {groups(a, (4, 4, 4, 4))} |",
            [("bank_card", groups(a, (4, 4, 4, 4)))],
        ),
        (f"分别转入{c}、{d}两张银行卡。", [("bank_card", c), ("bank_card", d)]),
        (
            f"卡号{full_width(groups(g, (4, 4, 4, 4, 3)))}",
            [("bank_card", full_width(groups(g, (4, 4, 4, 4, 3))))],
        ),
        (
            f"其使用的银行卡{groups(j, (6, 13))}于2021年3月4日被冻结。",
            [("bank_card", groups(j, (6, 13)))],
        ),
    ]


def mobile_documents() -> list[Doc]:
    return [
        ("被告人联系电话13912345678。", [("mobile", "13912345678")]),
        ("手机号：139 1234 5678", [("mobile", "139 1234 5678")]),
        ("联系电话138-2468-1357，", [("mobile", "138-2468-1357")]),
        ("被害人手机+8615012345678被冒用。", [("mobile", "+8615012345678")]),
        ("电话：+86 186 0000 1234", [("mobile", "+86 186 0000 1234")]),
        ("电话+86-177-1234-5678。", [("mobile", "+86-177-1234-5678")]),
        ("手机008613612345678", [("mobile", "008613612345678")]),
        ("联系方式（+86）13788889999", [("mobile", "（+86）13788889999")]),
        ("手机号码１５８１２３４５６７８。", [("mobile", "１５８１２３４５６７８")]),
        (
            "其使用手机号18911112222、15533334444联系上线。",
            [("mobile", "18911112222"), ("mobile", "15533334444")],
        ),
        ("微信绑定手机 147 2222 3333 ，", [("mobile", "147 2222 3333")]),
        ("证人手机：199－8888－7777", [("mobile", "199－8888－7777")]),
        ("通过手机号码16655554444添加好友。", [("mobile", "16655554444")]),
        ("电话 +86 13011112222。", [("mobile", "+86 13011112222")]),
        ("| 联系电话 | 17312345678 |", [("mobile", "17312345678")]),
        ("手机８６ １３５ ２２２２ ３３３３", [("mobile", "８６ １３５ ２２２２ ３３３３")]),
    ]


def email_documents() -> list[Doc]:
    return [
        (
            "被告人使用邮箱zhangmoumou1990@example.com发送诈骗信息。",
            [("email", "zhangmoumou1990@example.com")],
        ),
        ("电子邮箱：li_si.case@mail.example.cn", [("email", "li_si.case@mail.example.cn")]),
        ("其QQ邮箱13912345678@qq.com", [("email", "13912345678@qq.com")]),
        ("邮箱wangwu@example.org。", [("email", "wangwu@example.org")]),
    ]


def address_documents() -> list[Doc]:
    return [
        (
            "被告人张某某，住示例市示例区建设路88号示例花园三号楼二单元五〇二室。",
            [("address", "示例市示例区建设路88号示例花园三号楼二单元五〇二室")],
        ),
        (
            "户籍地示例省示例市示例区人民路18号阳光小区5栋2单元1201室。",
            [("address", "示例省示例市示例区人民路18号阳光小区5栋2单元1201室")],
        ),
        (
            "现住示例市示例区翠苑小区三栋一单元六〇一室。",
            [("address", "示例市示例区翠苑小区三栋一单元六〇一室")],
        ),
        ("家住示例县示例镇示例村五组二十三号。", [("address", "示例县示例镇示例村五组二十三号")]),
        (
            "住示例市示例区滨江路18号锦绣天地3栋1102室。",
            [("address", "示例市示例区滨江路18号锦绣天地3栋1102室")],
        ),
        (
            "被害人李某某住示例市示例区解放路一百二十号。",
            [("address", "示例市示例区解放路一百二十号")],
        ),
        (
            "暂住示例市示例区幸福家园七号楼三单元四〇二室",
            [("address", "示例市示例区幸福家园七号楼三单元四〇二室")],
        ),
        (
            "住址：示例市示例区中山路东段66号2栋301室",
            [("address", "示例市示例区中山路东段66号2栋301室")],
        ),
        (
            "被告人住示例市示例区金色港湾小区8-2-1502。",
            [("address", "示例市示例区金色港湾小区8-2-1502")],
        ),
        (
            "现住示例市示例区和平里九号院三号楼五〇三室。",
            [("address", "示例市示例区和平里九号院三号楼五〇三室")],
        ),
        ("住示例市示例区建设路88号3单元1201室", [("address", "示例市示例区建设路88号3单元1201室")]),
        ("家住示例市示例区紫荆公寓B座1808室。", [("address", "示例市示例区紫荆公寓B座1808室")]),
        (
            "其租住于示例市示例区城中村示例坊十二巷三号。",
            [("address", "示例市示例区城中村示例坊十二巷三号")],
        ),
        (
            "户籍地：示例省示例县示例乡示例村3组45号",
            [("address", "示例省示例县示例乡示例村3组45号")],
        ),
        (
            "住示例市示例区长江路208号天悦华庭十栋二单元八〇一室，",
            [("address", "示例市示例区长江路208号天悦华庭十栋二单元八〇一室")],
        ),
        (
            "被害人家住示例市示例区示例大厦十二层一二〇三室。",
            [("address", "示例市示例区示例大厦十二层一二〇三室")],
        ),
        (
            "现住示例市示例区学府路９号碧水湾６栋５０２室。",
            [("address", "示例市示例区学府路９号碧水湾６栋５０２室")],
        ),
        ("住示例市示例区解放路123弄5号601室。", [("address", "示例市示例区解放路123弄5号601室")]),
        (
            "证人住示例市示例区西湖路十八号二幢三〇一室",
            [("address", "示例市示例区西湖路十八号二幢三〇一室")],
        ),
        (
            "被告人张某某，户籍地示例市示例区建设路88号，现住示例市示例区万科城五期12栋2203室。",
            [
                ("address", "示例市示例区建设路88号"),
                ("address", "示例市示例区万科城五期12栋2203室"),
            ],
        ),
    ]


def mixed_documents() -> list[Doc]:
    a = make_id("440103", "19830419", "612")
    card = make_card("622202400011223")
    return [
        (
            f"被告人陈某某，男，1983年4月19日出生，公民身份号码{groups(a, (4, 4, 4, 4, 2))}，"
            f"住示例市示例区南华路16号怡景花园二栋三〇二室，联系电话139 0000 1111，"
            f"名下银行卡{groups(card, (4, 4, 4, 4))}。",
            [
                ("id_number", groups(a, (4, 4, 4, 4, 2))),
                ("address", "示例市示例区南华路16号怡景花园二栋三〇二室"),
                ("mobile", "139 0000 1111"),
                ("bank_card", groups(card, (4, 4, 4, 4))),
            ],
        ),
        (
            f"申请人：周某某\n身份证号：{a[:8]}\n{a[8:]}\n电话：+86 135-0000-2222\n"
            f"地址：示例县示例镇示例村八组十六号",
            [
                ("id_number", f"{a[:8]}\n{a[8:]}"),
                ("mobile", "+86 135-0000-2222"),
                ("address", "示例县示例镇示例村八组十六号"),
            ],
        ),
    ]


def negative_documents() -> list[Doc]:
    serial = "202103041234567890"  # a year, not an area code
    return [
        ("示例市示例区人民检察院起诉书 示检刑诉〔2025〕64号", []),
        ("（2024）示0102刑初345号刑事判决书已发生法律效力。", []),
        ("涉案金额共计人民币15000000000元。", []),
        ("被告人退赔被害人经济损失人民币138,000.00元。", []),
        ("2021年3月4日22时许，被告人在示例区建设路附近作案。", []),
        ("案件于2021-03-04受理，2021-06-01移送审查起诉。", []),
        ("如有疑问请拨打12309检察服务热线或0000-12309000。", []),
        ("举报电话：12309；监督电话：0000-12309001。", []),
        ("被告人身份证号4401**********1234，已核实。", []),
        ("银行卡号6222 **** **** 1234，手机138****8000。", []),
        ("被害人李某某、证人王某某的陈述。", []),
        ("本院地址：示例市示例区法治大道100号，邮编518000。", []),
        ("示例市人民检察院位于示例市示例区法治大道100号，联系电话0000-12309000。", []),
        ("示例市示例区人民法院（示例市示例区审判路8号）公开开庭审理了本案。", []),
        ("示例市公安局示例分局示例派出所地址：示例区建设路168号，值班电话0000-110110。", []),
        ("来访群众可前往示例市示例区人民检察院12309检察服务中心（示例区人民路3号1楼）。", []),
        (f"交易流水号{serial}，交易时间2021年3月4日。", []),
        ("交易流水号2021030412345678901等。", []),
        ("违反《中华人民共和国刑法》第二百六十四条、第67条第3款。", []),
        ("示价认〔2021〕88号价格认定结论书；（2021）示公刑勘字第0315号现场勘验笔录。", []),
        ("乘坐地铁3号线至示例站，第3号监控视频截图。", []),
        ("房屋为3室2厅，面积120平方米。", []),
        ("示例市示例区民治街道示例社区居民委员会", []),
        ("被告人张某某，1985年6月12日出生，身份证号码已核实，住示例市示例区。", []),
        ("邮政编码518000，传真0000-12309002。", []),
        ("示例市中级人民法院地址为示例市示例区审判路一号，诉讼服务热线0000-12368。", []),
        ("统一社会信用代码91440300MA5XXXXX1Y。", []),
        ("手续费人民币13800元，合计人民币15012345678.00元。", []),
        ("检察服务中心电话：0000-12309000（工作日9:00-17:00）。", []),
        ("本院于2024年12月31日立案，案号示检民监〔2024〕1024号。", []),
    ]


def main() -> None:
    out = Path(__file__).parent / "main"
    out.mkdir(exist_ok=True)
    sets = {
        "id_number": id_documents(),
        "possible_id_number": possible_id_documents(),
        "bank_card": card_documents(),
        "mobile": mobile_documents(),
        "email": email_documents(),
        "address": address_documents(),
        "mixed": mixed_documents(),
        "negative": negative_documents(),
    }
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
