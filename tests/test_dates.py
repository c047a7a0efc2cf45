"""dates: time expressions found with offsets and resolved against the publication date."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit import dates
from graphkit.dates import find_date_expressions, resolve_date, sentence_date
from graphkit.normalise import to_simplified

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# fmt: off
FIND_CASES = [
    # (sentence, the expressions found, in order)
    ("【看中国2025年2月13日讯】美国总统12日先与普京通话", ["2025年2月13日", "12日"]),
    ("当地时间7月3日，特朗普与普京通电话", ["当地时间7月3日"]),
    ("法新社3日援引官员称，特朗普将在当地时间4日通话", ["3日", "当地时间4日"]),
    ("普京3日晚表示", ["3日晚"]),
    ("美东时间周二(3月18日)上午，川普周一对记者说", ["美东时间周二", "3月18日", "周一"]),
    ("特朗普週四表示，他上周五和下周都有安排", ["週四", "上周五", "下周"]),
    ("星期四和礼拜天", ["星期四", "礼拜天"]),
    ("本周早些时候，今年早些时候", ["本周早些时候", "今年早些时候"]),
    ("今天、今日、当天、同日、昨天、昨日、前天、明天", ["今天", "今日", "当天", "同日", "昨天", "昨日", "前天", "明天"]),
    ("两人曾于8月会面，6月底、6月初、6月中旬", ["8月", "6月底", "6月初", "6月中旬"]),
    ("去年11月和去年年底，今年3月，2024年连任", ["去年11月", "去年年底", "今年3月", "2024年"]),
    ("十一月三日和二十一日", ["十一月三日"]),                    # a bare day in words is not taken
    ("7 月 4 日消息", ["7 月 4 日"]),
    ("１２日", ["１２日"]),                                       # full width, offsets of the input
    # not dates
    ("一周一次的会议，每周五举行", []),
    ("统一月底前完成，下周期", []),
    ("价值100日元，30日内，第3日，3个月", []),
    ("今日俄罗斯电视台报道", []),
    ("2025年13月", []),                                         # an impossible month is no date
    ("10日前完成，3月前交付", ["10日", "3月"]),                   # before the 10th / before March, no time ago
    ("", []),
]
# fmt: on


@pytest.mark.parametrize("sentence, expected", FIND_CASES)
def test_find_date_expressions_golden(sentence, expected):
    found = find_date_expressions(sentence)
    assert [expr for _, _, expr in found] == expected
    assert all(sentence[s:e] == expr for s, e, expr in found)


# fmt: off
RESOLVE_CASES = [
    # (expression, publication date, future, expected)
    ("周四", "2025-10-17", False, "2025-10-16"),
    ("周五", "2025-10-17", True, "2025-10-17"),
    ("周五", "2025-10-17", False, "2025-10-17"),       # the same day counts
    ("周日", "2025-10-17", False, "2025-10-12"),
    ("周日", "2025-10-17", True, "2025-10-19"),
    ("週三", "2025-03-18", True, "2025-03-19"),
    ("上周五", "2025-10-17", False, "2025-10-10"),
    ("上周六", "2025-03-18", False, "2025-03-15"),
    ("下周二", "2025-10-17", True, "2025-10-21"),
    ("本周一", "2025-10-17", False, "2025-10-13"),
    ("下周", "2025-10-17", False, "2025-10"),
    ("下周", "2025-10-28", True, "2025-11"),
    ("上周", "2025-03-03", False, "2025-02"),
    ("本周", "2025-10-17", False, "2025-10"),
    ("本周早些时候", "2025-10-17", False, "2025-10"),
    ("今年早些时候", "2025-10-17", False, None),
    ("8月", "2025-10-17", False, "2025-08"),
    ("12月", "2025-01-18", False, "2024-12"),           # a month well after the publication month
    ("11月", "2025-10-17", False, "2025-11"),           # …but next month stays this year
    ("1月", "2025-12-20", True, "2026-01"),
    ("6月底", "2025-07-04", False, "2025-06"),
    ("6月初", "2025-07-04", False, "2025-06"),
    ("当地时间7月3日", "2025-07-04", False, "2025-07-03"),
    ("4月2日晚", "2024-04-03", False, "2024-04-02"),
    ("12月25日", "2025-01-05", False, "2024-12-25"),
    ("2月30日", "2025-03-01", False, None),
    ("4日", "2025-07-04", True, "2025-07-04"),
    ("1日", "2025-07-04", False, "2025-07-01"),
    ("12日", "2025-02-13", False, "2025-02-12"),
    ("14日", "2025-02-13", True, "2025-02-14"),
    ("14日", "2025-02-13", False, "2025-01-14"),
    ("3日", "2025-07-04", True, "2025-07-03"),          # a recent past day, even in a plan
    ("5日", "2025-07-25", True, "2025-08-05"),
    ("31日", "2025-03-05", False, None),                 # February has no 31st
    ("当地时间3日", "2025-07-04", False, "2025-07-03"),
    ("去年11月", "2024-04-03", False, "2023-11"),
    ("去年年底", "2023-03-28", False, "2022-12"),
    ("去年底", "2023-03-28", False, "2022-12"),
    ("今年3月", "2025-10-17", False, "2025-03"),
    ("明年1月", "2025-10-17", True, "2026-01"),
    ("去年", "2025-10-17", False, None),
    ("2024年", "2025-10-17", False, None),
    ("2024年11月", None, False, "2024-11"),              # absolute dates need no publication date
    ("2025年2月13日", None, False, "2025-02-13"),
    ("2024年底", None, False, "2024-12"),
    ("今天", "2025-02-13", False, "2025-02-13"),
    ("当天", "2025-02-13", False, "2025-02-13"),
    ("同日", "2025-02-13", False, "2025-02-13"),
    ("昨天", "2025-02-13", False, "2025-02-12"),
    ("昨日", "2025-03-01", False, "2025-02-28"),
    ("前天", "2025-02-13", False, "2025-02-11"),
    ("明天", "2025-12-31", True, "2026-01-01"),
    ("上个月", "2025-01-10", False, "2024-12"),
    ("十一月三日", "2025-11-05", False, "2025-11-03"),
    ("周四", None, False, None),
    ("12日", None, False, None),
    ("8月", "not a date", False, None),
    ("三天前", "2025-03-14", False, "2025-03-11"),        # N天前 is a day
    ("两个月前", "2025-03-14", False, "2025-01"),          # N个月前 a month
    ("两个多月前", "2025-03-14", False, None),             # …多/几/半 is vague
    ("两年前", "2025-03-14", False, None),                 # no year granularity
    ("不是日期", "2025-10-17", False, None),
]
# fmt: on


@pytest.mark.parametrize("expr, pub, future, expected", RESOLVE_CASES)
def test_resolve_date_golden(expr, pub, future, expected):
    assert resolve_date(expr, pub, future=future) == expected


@pytest.mark.parametrize("expr, anchor, expected", [
    ("当天", "2025-09-04", "2025-09-04"),
    ("次日", "2025-09-04", "2025-09-05"),
    ("次日", None, None),
])
def test_resolve_date_anchor(expr, anchor, expected):
    assert resolve_date(expr, "2025-09-05", anchor=anchor) == expected


# fmt: off
SENTENCE_CASES = [
    # (sentence, publication date, future, expected)
    ("美国总统特朗普周四表示，他将与普京再次会面。", "2025-10-17", False, "2025-10-16"),
    ("两人此前曾于8月在阿拉斯加会面。", "2025-10-17", False, "2025-08"),
    ("美东时间周二(3月18日)上午，川普和普京举行了电话会谈。", "2025-03-18", False, "2025-03-18"),
    ("當地時間7月3日，美國總統特朗普與普京通電話。", "2025-07-04", False, "2025-07-03"),
    ("特朗普则在6月底的北约峰会期间回应说，他考虑在7月2日提供。", "2025-07-04", False, "2025-07-02"),  # day beats month
    ("他12日说，双方13日通话。", "2025-02-13", False, "2025-02-12"),        # two days: the first
    ("法新社3日援引官员称，特朗普将在当地时间4日通电话。", "2025-07-04", True, "2025-07-04"),  # a plan: on/after
    ("去年年底，我对沙特进行国事访问。", "2023-03-28", False, "2022-12"),
    ("今年早些时候，美国批准出售导弹。", "2025-10-17", False, None),
    ("会谈没有日期。", "2025-10-17", False, None),
    ("周四", None, False, None),
]
# fmt: on


@pytest.mark.parametrize("sentence, pub, future, expected", SENTENCE_CASES)
def test_sentence_date_golden(sentence, pub, future, expected):
    assert sentence_date(sentence, pub, future=future) == expected


_DATEISH = st.text(alphabet=st.sampled_from("0123456789年月日号周星期上下本这今去明昨前当同天底初中旬晚一二三四五六十 "))


@settings(max_examples=300, deadline=None)
@given(_DATEISH | st.text(), st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)), st.booleans())
def test_dates_never_raise_and_resolve_to_iso(sentence, pub, future):
    found = find_date_expressions(sentence)
    last = 0
    for s, e, expr in found:
        assert last <= s < e <= len(sentence) and sentence[s:e] == expr
        last = e
        resolved = resolve_date(expr, pub.isoformat(), future=future)
        assert resolved is None or len(resolved) in (7, 10)
    sentence_date(sentence, pub.isoformat(), future=future)


def test_a_bracketed_date_glosses_the_relative_word():
    from graphkit.dates import sentence_date

    assert sentence_date("金正恩今天（9月13日）在阿穆尔州会面", "2023-09-14") == "2023-09-13"
    assert sentence_date("美东时间周二(3月18日)上午通话", "2025-03-20") == "2025-03-18"


# -- the first-character test in front of the date pattern loses no expression ---------------

def _slow_and_fast():
    return re.compile(dates._ANY_PATTERN), dates._ANY


def _matches(pattern, text):
    return [(m.start(), m.end(), m.lastgroup) for m in pattern.finditer(text)]


# every run of Chinese characters in the pattern (zones, relative words, units), as building blocks
_PIECES = sorted(set(re.findall(r"[\u4e00-\u9fff]+", dates._ANY_PATTERN)))


def test_every_word_of_the_pattern_starts_with_a_first_character():
    first = re.compile(f"[{dates._FIRST_CHARS}]")
    zones = dates._ZONE[len("(?:"):-1].split("|")
    assert len(zones) > 10 and all(first.match(zone) for zone in zones)
    slow, fast = _slow_and_fast()
    for piece in _PIECES:
        for text in (piece, f"{piece}3月5日", f"他{piece}周二"):
            assert _matches(fast, text) == _matches(slow, text), text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + ["3", "12", "2025", " ", "，", "他", "会见"]), max_size=12))
def test_the_fast_pattern_finds_what_the_plain_one_finds(pieces):
    slow, fast = _slow_and_fast()
    text = "".join(pieces)
    assert _matches(fast, text) == _matches(slow, text)


def test_the_fast_pattern_finds_what_the_plain_one_finds_on_the_corpus():
    corpus = SHARED / "corpus" / "xwlb_stories.jsonl"
    if not corpus.is_file():
        pytest.skip("../shared/corpus is not here")
    slow, fast = _slow_and_fast()
    texts = [to_simplified(json.loads(line).get("text") or "") for line in corpus.open(encoding="utf-8")]
    sentences = [s for text in texts for s in re.split("[。！？\n]", text) if s]
    assert [_matches(fast, s) for s in sentences] == [_matches(slow, s) for s in sentences]
