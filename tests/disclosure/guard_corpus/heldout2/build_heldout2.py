"""Writes a second held-out corpus (heldout2/*.yaml), written after the first
held-out set had been measured once and before the guard was changed for what
it showed, so that the final figures still come from text the guard was never
tuned on.

    python tests/disclosure/guard_corpus/heldout2/build_heldout2.py
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
    a = make_id("320211", "19860117", "428")
    b = make_id("440883", "19930725", "016")
    c = make_id("650104", "19791202", "553")
    d = make_id("340104", "20000606", "381")
    e = make_id("120101", "19620314", "707")
    f = make_id("360722", "19981029", "264")
    w1 = wrong_id("320211", "19710505", "845")
    w2 = wrong_id("440883", "19900909", "302")
    w3 = wrong_id("120101", "20011231", "119")
    k1 = make_card("622262014567890")
    k2 = make_card("621799777700001234")
    k3 = make_card("622155009988776")
    k4 = make_card("625807135724681357")
    return {
        "id_number": [
            (
                f"- 姓名：华某某\n- 身份证号：{groups(a, (6, 8, 4))}\n- 职业：无",
                [("id_number", groups(a, (6, 8, 4)))],
            ),
            (f"The appellant (ID {b}) was released on bail.", [("id_number", b)]),
            (
                f"被不起诉人金某某，公民身份号码{c[:16]}\n{c[16:]}，维吾尔族。",
                [("id_number", f"{c[:16]}\n{c[16:]}")],
            ),
            (
                f"经查询户籍信息，魏某某身份证号码为：{groups(d, (4, 4, 4, 4, 2), '-')}。",
                [("id_number", groups(d, (4, 4, 4, 4, 2), "-"))],
            ),
            (
                f"申诉人陶某某（公民身份号码{full_width(e)}）不服该决定。",
                [("id_number", full_width(e))],
            ),
            (
                f"| 序号 | 当事人 | 证件号码 |\n| --- | --- | --- |\n| 1 | 姜某某 | {groups(f, (6, 8, 4))} |",
                [("id_number", groups(f, (6, 8, 4)))],
            ),
        ],
        "possible_id_number": [
            (f"被告人戚某某，身份证号{w1}，系累犯。", [("possible_id_number", w1)]),
            (
                f"证件号码：{groups(w2, (4, 4, 4, 4, 2))}",
                [("possible_id_number", groups(w2, (4, 4, 4, 4, 2)))],
            ),
            (
                f"谢某某的身份证号码{w3[:8]}\n{w3[8:]}与户籍登记不一致。",
                [("possible_id_number", f"{w3[:8]}\n{w3[8:]}")],
            ),
        ],
        "bank_card": [
            (
                f"被告人邹某某将赃款存入其名下{groups(k1, (4, 4, 4, 4))}账户。",
                [("bank_card", groups(k1, (4, 4, 4, 4)))],
            ),
            (f"收款卡号：{groups(k2, (6, 13), '-')}；", [("bank_card", groups(k2, (6, 13), "-"))]),
            (
                f"Card number {groups(k3, (4, 4, 4, 4), '-')} belongs to the victim.",
                [("bank_card", groups(k3, (4, 4, 4, 4), "-"))],
            ),
            (
                f"- 开户行：示例银行\n- 卡号：{full_width(groups(k4, (4, 4, 4, 4, 3)))}",
                [("bank_card", full_width(groups(k4, (4, 4, 4, 4, 3))))],
            ),
        ],
        "mobile": [
            ("被害人喻某某（手机号码138 9999 0000）报警称。", [("mobile", "138 9999 0000")]),
            ("- 联系电话：+86 150-1111-2222", [("mobile", "+86 150-1111-2222")]),
            ("The suspect's phone, 18722223333, was seized.", [("mobile", "18722223333")]),
            ("其另一手机号为１９１００００８８８８。", [("mobile", "１９１００００８８８８")]),
        ],
        "email": [
            (
                "被告人以邮箱fake.invoice2024@example.com向被害人发送虚假发票。",
                [("email", "fake.invoice2024@example.com")],
            ),
        ],
        "address": [
            (
                "被不起诉人金某某，住示例市示例区新市路一百零八号天山花园五栋二单元一〇二室。",
                [("address", "示例市示例区新市路一百零八号天山花园五栋二单元一〇二室")],
            ),
            (
                "- 住址：示例县示例镇桃园村六组三十五号",
                [("address", "示例县示例镇桃园村六组三十五号")],
            ),
            (
                "The victim lives at 示例市示例区梧桐路12号梧桐苑2栋1503室.",
                [("address", "示例市示例区梧桐路12号梧桐苑2栋1503室")],
            ),
            (
                "户籍地示例市示例区解放街道长青路77号4幢502室，",
                [("address", "示例市示例区解放街道长青路77号4幢502室")],
            ),
            (
                "被告人曾暂住于示例市示例区东湖小区九栋六〇三室。",
                [("address", "示例市示例区东湖小区九栋六〇三室")],
            ),
        ],
        "negative": [
            ("示检刑不诉〔2024〕15号不起诉决定书（示例市示例区人民检察院）", []),
            ("被告人非法获利人民币二十三万元（230,000元），已全部退缴。", []),
            ("2024年6月18日，本院依法讯问了被告人；2024/07/01送达。", []),
            ("如对本决定不服，可于收到之日起七日内向本院申诉；咨询电话12309。", []),
            ("被告人手机号码1**********（已隐去），身份证号码已隐去。", []),
            ("被告人赵某某、钱某某、孙某某共同实施。", []),
            ("示例市示例区人民检察院地址：示例市示例区法治大道100号（邮编000000）。", []),
            ("示例市示例区示例派出所（示例区桃园路21号）民警出警。", []),
            ("示例市中级人民法院位于示例市示例区正义路3号。", []),
            ("发票号码04400210011112345678，开票金额人民币12000元。", []),
            ("合同编号HT-2023-00012345，签订于2023年1月5日。", []),
            ("违反《中华人民共和国刑法》第三百零三条第一款。", []),
            ("该车辆车牌号为示A12345，车架号LSVAB4186E2123456。", []),
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
