#!/usr/bin/env python3
"""Writes crates/backend/common-passwords.txt: passwords too common to accept.

The list joins passwords that top every published leak analysis (global and Chinese sites) with the patterns
people build them from: repeated and sequential digits, keyboard walks, common words and names with the usual
suffixes, lucky numbers and love codes (520, 1314). Only entries of 8 or more characters are kept, since shorter
passwords are refused by the length rule anyway. Lower case: the backend compares case-insensitively.

Run from the repository root: python3 crates/backend/scripts/common-passwords.py
"""

from pathlib import Path

WELL_KNOWN = """
123456 password 12345678 qwerty 123456789 12345 1234 111111 1234567 dragon 123123 baseball abc123 football
monkey letmein 696969 shadow master 666666 qwertyuiop 123321 mustang 1234567890 michael 654321 superman
1qaz2wsx 7777777 121212 000000 qazwsx 123qwe killer trustno1 jordan jennifer zxcvbnm asdfgh hunter buster
soccer harley batman andrew tigger sunshine iloveyou charlie robert thomas hockey ranger daniel starwars
klaster 112233 george computer michelle jessica pepper zxcvbn 555555 11111111 131313 freedom 777777 pass
maggie 159753 aaaaaa ginger princess joshua cheese amanda summer love ashley nicole chelsea biteme matthew
access yankees 987654321 dallas austin thunder taylor matrix passw0rd p@ssw0rd p@ssword pa55word welcome
welcome1 admin admin123 administrator root login qwerty123 qwerty1 1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y zaq12wsx
1qazxsw2 zaq1xsw2 password1 password12 password123 password1234 iloveyou1 iloveyou2 letmein1 letmein123
changeme default secret secret123 guest guest123 test1234 testtest test123456 qwertyui asdfghjkl zxcvbnm123
q1w2e3r4 q1w2e3r4t5 a1b2c3d4 abcd1234 abcdefg abcdefgh abcdefghi 1a2b3c4d aa123456 a123456 a12345678
a123456789 abc123456 abc12345 123456a 123456aa 123456abc 123abc 123qweasd qweasd123 qweasdzxc 1qaz2wsx3edc
woaini woaini1314 woaini520 woaini123 woaini1234 woainima woaiwojia woshishui wodemima mima123 mima1234
nihao123 nihao1234 zhongguo zhongguo123 beijing shanghai shenzhen guangzhou wuhan wuhan123 hubei hubei123
hbets hbets123 hbets1234 tanpaifang tanjiaoyi carbon carbon123 5201314 1314520 520520 521521 147258369
147258 258369 369258147 123654 123654789 741852963 963852741 159357 1593572468 0123456789 9876543210
88888888 66666666 99999999 168168 518518 888888 8888888888 168168168 518518518 88889999 66668888 12121212
11223344 123123123 123321123 1234512345 aaaaaaaa qqqqqqqq wwwwwwww qq123456 qq123456789 qq5201314
huawei huawei123 xiaomi xiaomi123 baidu123 taobao taobao123 alibaba alibaba123 tencent tencent123 wechat
wechat123 weixin weixin123 apple123 iphone iphone123 samsung google google123 microsoft facebook
wang123456 li123456 zhang123456 liu123456 chen123456 yang123456 zhao123456 huang123456 zhou123456 wu123456
asd123456 asdasd asdasd123 zxc123456 zxczxc qwe123456 qweqwe qweqweqwe 123456qwe 123456asd 123456zxc
sunshine1 princess1 football1 baseball1 superman1 trustno11 master123 dragon123 monkey123 shadow123
michael1 jordan23 qwertyuiop123 1qaz1qaz 2wsx2wsx !qaz2wsx !qaz@wsx 1qaz@wsx 1qaz!qaz zaq!2wsx
""".split()

WORDS = """
password passwd pass word admin master dragon monkey shadow sunshine princess football baseball soccer
hockey superman batman iloveyou loveyou lover welcome letmein qwerty hello hellokitty china chinese beijing
shanghai wuhan hubei money lucky happy flower angel baby honey sweet summer winter spring autumn orange
banana apple cherry tiger lion panda dragonfly snoopy mickey pokemon naruto onepiece doraemon
michael jennifer jessica daniel david james robert thomas charlie george andrew joshua matthew ashley
amanda nicole michelle william richard joseph kevin jason justin brandon tiffany samantha
woaini wangwei zhangwei wangfang liwei lina zhangmin liuyang wangjing zhangjing lijing wanglei zhangli
computer internet network system server login account trade trader market stock stocks money123 invest
investor carbon emission exchange hbets bitcoin wallet secret private security freedom forever
killer hunter ranger player gamer starwars matrix pepper ginger cookie chocolate coffee music guitar
""".split()

SUFFIXES = ["", "1", "12", "123", "1234", "12345", "123456", "!", "1!", "123!", "@123", "2023", "2024",
            "2025", "2026", "888", "666", "520", "1314", "5201314", "00", "01", "007", "99", "0"]

ROWS = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "!@#$%^&*()"]


def sequences():
    digits = "0123456789"
    for length in range(8, 17):
        for d in digits:
            yield d * length
        for start in range(10):
            yield "".join(digits[(start + i) % 10] for i in range(length))
            yield "".join(digits[(start - i) % 10] for i in range(length))
    for n in range(1, 5):
        for length in range(2, 9):
            block = "".join(str(i) for i in range(1, n + 2))
            yield block * length
    for a in range(10):
        for b in range(10):
            yield (f"{a}{b}" * 8)[:8]
            yield (f"{a}{a}{b}{b}" * 4)[:8]


def keyboard_walks():
    for row in ROWS:
        for length in range(8, len(row) + 1):
            yield row[:length]
            yield row[:length][::-1]
        yield row + "123"
        yield row + "1"
    columns = ["1qaz", "2wsx", "3edc", "4rfv", "5tgb", "6yhn", "7ujm", "8ik,", "9ol.", "0p;/"]
    for start in range(len(columns)):
        for count in range(2, 5):
            walk = "".join(columns[start:start + count])
            yield walk
            yield walk.upper()
    for row in ROWS[1:4]:
        yield "".join(x + y for x, y in zip(row, "12345678"))
        yield "".join(y + x for x, y in zip(row, "12345678"))
    yield from ["qweasdzxc", "qazwsxedc", "qazwsxedcrfv", "zaqxswcde", "1qazxsw23edc", "poiuytrewq",
                "lkjhgfdsa", "mnbvcxz", "asdfqwer", "qwerasdf", "zxcvasdf", "asdfzxcv", "qwerzxcv",
                "1234qwer", "qwer1234", "1234asdf", "asdf1234", "1234zxcv", "zxcv1234", "qwe123qwe",
                "asd123asd", "zxc123zxc", "qweasd", "qweasdqweasd"]


def with_suffixes():
    for word in WORDS:
        for suffix in SUFFIXES:
            yield word + suffix
        for year in range(1980, 2011):
            yield f"{word}{year}"


def main():
    out = Path(__file__).resolve().parent.parent / "common-passwords.txt"
    seen = set()
    entries = []
    for source in (WELL_KNOWN, sequences(), keyboard_walks(), with_suffixes()):
        for entry in source:
            entry = entry.lower()
            if len(entry) >= 8 and entry not in seen:
                seen.add(entry)
                entries.append(entry)
    header = [
        "# Passwords too common to accept (written by crates/backend/scripts/common-passwords.py).",
        "# One a line, lower case, 8+ characters; lines starting with # are comments.",
    ]
    out.write_text("\n".join(header + entries) + "\n", encoding="utf-8")
    print(f"{len(entries)} passwords written to {out}")


if __name__ == "__main__":
    main()
