"""Chinese time expressions in a sentence, resolved against the article's publication date.

Resolution keeps the granularity the text gives and never guesses: a day (``YYYY-MM-DD``), a month
(``YYYY-MM``) or None. Relative expressions need the publication date; an absolute date with its
year (2025年2月13日, 2024年11月) resolves without one. Sentences may be in either script: matching
runs on ``to_simplified``, which keeps offsets.
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache

from graphkit.normalise import to_simplified

__all__ = ["find_date_expressions", "resolve_date", "sentence_date"]

_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}

# Numbers: Arabic, or Chinese numerals up to 31 for months and days written in words.
_CN = "(?:[二三]十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
# A month in words only after a boundary: 统一月底 is not January.
_MON = rf"(?:(?<![\d.])\d{{1,2}}(?!\d)|(?<![^\s于在至到和与及、，,年（(：:]){_CN})"
_DAY = rf"(?:\d{{1,2}}(?!\d)|{_CN})"
_YEAR = r"(?<![\d.])(?:19|20)\d{2}(?!\d)"
_PART_OF_MONTH = "(?:底|末|初|中旬|上旬|下旬|中)"
_TIME_OF_DAY = "(?:晚些时候|早些时候|晚间|晚上|早上|早间|上午|下午|中午|凌晨|傍晚|深夜|夜间|晚|早|夜)"
_WEEK = "(?:周|星期|礼拜)"
_WD = "[一二三四五六日天]"
_ZONE = (
    "(?:当地时间|北京时间|美东时间|美国东部时间|东部时间|美西时间|太平洋时间|莫斯科时间|"
    "基辅时间|欧洲中部时间|格林尼治时间|格林威治时间|伦敦时间|华盛顿时间|东京时间|日本时间|首尔时间|韩国时间)"
)

# kind -> pattern; order matters: longer forms first, as alternation tries them in order.
_KINDS: tuple[tuple[str, str], ...] = (
    ("ymd", rf"{_YEAR}\s*年\s*{_MON}\s*月\s*{_DAY}\s*[日号]"),
    ("ym", rf"{_YEAR}\s*年\s*{_MON}\s*月份?{_PART_OF_MONTH}?"),
    ("y_end", rf"{_YEAR}\s*年(?:底|末)"),
    ("y", rf"{_YEAR}\s*年(?:初|代|中|上半年|下半年)?"),
    ("rel_ymd", rf"(?:去年|今年|明年|前年)\s*{_MON}\s*月\s*{_DAY}\s*[日号]"),
    ("rel_ym", rf"(?:去年|今年|明年|前年)\s*{_MON}\s*月份?{_PART_OF_MONTH}?"),
    ("rel_y_end", r"(?:去年|今年|明年|前年)(?:年底|年末|底)"),
    ("rel_y", r"(?:去年|今年|明年|前年)(?:年初|早些时候|晚些时候|初|上半年|下半年)?"),
    # 三天前 / 两个月前 / 两个多月前 (vague: resolves to nothing) / 半年前; not 10日前 or 3月前 (before the
    # 10th, before March)
    ("ago", rf"(?<![\d.])(?:\d{{1,3}}|[一二两三四五六七八九十几数半]+)\s*多?\s*(?:天|周|星期|个多?月|年)半?多?(?:以前|之前|前)"),
    ("md", rf"{_MON}\s*月\s*{_DAY}\s*[日号]"),
    ("m", rf"{_MON}\s*月份?{_PART_OF_MONTH}?(?!\s*\d)"),
    ("rel_wd", rf"(?:上个?|下个?|本|这个?)\s*{_WEEK}\s*{_WD}"),
    ("rel_weekend", rf"(?:上个?|下个?|本|这个?)\s*{_WEEK}末"),
    ("rel_week", rf"(?:上个?|下个?|本|这个?)\s*{_WEEK}(?!{_WD}|末|年|岁|期|边|围|刊|报)(?:早些时候|晚些时候|初)?"),
    ("wd", rf"(?<!每)(?<!一)(?<![上下本这个]){_WEEK}{_WD}(?!年)"),
    ("rel_month", r"(?:本月|上月|下月|上个月|下个月|这个月|当月)(?:初|底|末|中旬|上旬|下旬)?"),
    ("rel_day", r"今天|今日(?!俄罗斯|美国|头条|关注|说法|亚洲|中国)|今晨|今早|今晚|今夜|当天|当日|当晚|同日|同一天|同一日|"
                r"昨天|昨日|昨晚|昨夜|昨晨|前天|前日|明天|明日|明晚|后天|次日|翌日"),
    ("d", rf"(?<![\d.月第每前近数周])\d{{1,2}}\s*日(?!\d|内|以内|之内|游|元)"),
)
# Every expression above starts with one of these: a digit, a numeral, or the first character
# of a time zone or of a relative word. Testing for them first spares the whole alternation at
# every other position (a tenth of the time on news text; tests check each zone and word).
_FIRST_CHARS = r"\d一二两三四五六七八九十几数半去今明前上下本这周星礼当同昨后次翌北美东太莫基欧格伦华日首韩"
_ANY_PATTERN = (rf"(?:{_ZONE}\s*)?(?:" + "|".join(f"(?P<{kind}>{pat})" for kind, pat in _KINDS)
                + rf")(?:{_TIME_OF_DAY})?")
_ANY = re.compile(rf"(?=[{_FIRST_CHARS}])" + _ANY_PATTERN)


_RECENT_DAYS = 7


def _num(token: str) -> int:
    token = token.strip()
    if token.isdigit():
        return int(token)
    if token == "十":
        return 10
    if token.startswith("十"):
        return 10 + _CN_NUM[token[1]]
    if len(token) >= 2 and token[1] == "十":
        return _CN_NUM[token[0]] * 10 + (_CN_NUM[token[2]] if len(token) == 3 else 0)
    return _CN_NUM[token]


def _numbers(text: str) -> list[int]:
    return [_num(t) for t in re.findall(rf"\d+|{_CN}", text)]


def find_date_expressions(sentence: str) -> list[tuple[int, int, str]]:
    """Time expressions in a sentence: (start, end, verbatim text), in order, not overlapping.

    >>> find_date_expressions("美东时间周二(3月18日)上午，川普周一对记者说")
    [(0, 6, '美东时间周二'), (7, 12, '3月18日'), (18, 20, '周一')]
    """
    simp = to_simplified(sentence)
    found = []
    for m in _ANY.finditer(simp):
        kind = m.lastgroup
        if not _valid_numbers(kind, m.group(kind)):
            continue
        found.append((m.start(), m.end(), sentence[m.start():m.end()]))
    return found


def _valid_numbers(kind: str, text: str) -> bool:
    """Month 1-12 and day 1-31 where the expression has them (2025年13月 is not a date)."""
    if kind == "d":
        return 1 <= _numbers(text)[0] <= 31
    if kind not in ("ymd", "ym", "rel_ymd", "rel_ym", "md", "m"):
        return True
    nums = _numbers(re.sub(_YEAR, "", text))
    month = nums[0] if nums else 0
    day = nums[1] if len(nums) > 1 else 1
    return 1 <= month <= 12 and 1 <= day <= 31


@lru_cache(maxsize=64)
def _parse_pub(pub_date: str | None) -> _dt.date | None:
    if not pub_date:
        return None
    try:
        return _dt.date.fromisoformat(pub_date[:10])
    except ValueError:
        return None


def _day(d: _dt.date) -> str:
    return d.isoformat()


def _month(year: int, month: int) -> str | None:
    return f"{year:04d}-{month:02d}" if 1 <= month <= 12 and 1 <= year <= 9999 else None


def _safe_date(y: int, m: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


def _year_for_month(month: int, pub: _dt.date, future: bool) -> int:
    """The year of a month named without one: this year, unless that is clearly the wrong side."""
    if not future and month > pub.month + 1:
        return pub.year - 1
    if future and pub.month - month > 6:
        return pub.year + 1
    return pub.year


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _monday(d: _dt.date) -> _dt.date:
    return d - _dt.timedelta(days=d.weekday())


def resolve_date(expr: str, pub_date: str | None, *, future: bool = False,
                 anchor: str | None = None) -> str | None:
    """ISO day or month for one expression, or None when it is vague or needs a missing date.

    ``future`` (the event is planned) resolves weekdays and bare days forwards. ``anchor`` is the
    date that 当天/同日/次日 refer to when the caller knows it (the last explicit date before);
    without it 当天/同日 mean the publication date and 次日 is unknown.

    >>> resolve_date("周四", "2025-10-17"), resolve_date("周五", "2025-10-17", future=True)
    ('2025-10-16', '2025-10-17')
    """
    simp = to_simplified(expr).strip()
    m = _ANY.fullmatch(simp)
    if m is None:
        return None
    kind = m.lastgroup
    core = m.group(kind)
    pub = _parse_pub(pub_date)
    if kind == "ymd":
        y = int(re.search(_YEAR, core).group())
        month, day = _numbers(core[core.index("年") + 1:])[:2]
        d = _safe_date(y, month, day)
        return _day(d) if d else None
    if kind == "ym":
        y = int(re.search(_YEAR, core).group())
        return _month(y, _numbers(core[core.index("年") + 1:])[0])
    if kind == "y_end":
        return _month(int(re.search(_YEAR, core).group()), 12)
    if kind == "y" or pub is None:
        return None
    if kind in ("rel_ymd", "rel_ym", "rel_y_end", "rel_y"):
        year = pub.year + {"去年": -1, "今年": 0, "明年": 1, "前年": -2}[core[:2]]
        if kind == "rel_y_end":
            return _month(year, 12)
        if kind == "rel_y":
            return None
        nums = _numbers(core[2:])
        if kind == "rel_ym":
            return _month(year, nums[0])
        d = _safe_date(year, nums[0], nums[1])
        return _day(d) if d else None
    if kind == "ago":
        return _ago(core, pub)
    if kind == "md":
        month, day = _numbers(core)[:2]
        d = _safe_date(_year_for_month(month, pub, future), month, day)
        return _day(d) if d else None
    if kind == "m":
        month = _numbers(core)[0]
        return _month(_year_for_month(month, pub, future), month)
    if kind == "d":
        day = _numbers(core)[0]
        if not future:
            delta = 0 if day <= pub.day else -1
        else:  # a day just before the publication day is a recent past mention (法新社3日援引…将于4日)
            delta = 0 if day >= pub.day or pub.day - day <= _RECENT_DAYS else 1
        y, mo = _shift_month(pub.year, pub.month, delta)
        d = _safe_date(y, mo, day)
        return _day(d) if d else None
    if kind == "wd":
        target = _WEEKDAY[core[-1]]
        if future:
            return _day(pub + _dt.timedelta(days=(target - pub.weekday()) % 7))
        return _day(pub - _dt.timedelta(days=(pub.weekday() - target) % 7))
    week_offset = -7 if core[0] == "上" else 7 if core[0] == "下" else 0
    if kind == "rel_wd":
        return _day(_monday(pub) + _dt.timedelta(days=week_offset + _WEEKDAY[core[-1]]))
    if kind == "rel_weekend":
        saturday = _monday(pub) + _dt.timedelta(days=week_offset + 5)
        sunday = saturday + _dt.timedelta(days=1)
        return _month(saturday.year, saturday.month) if saturday.month == sunday.month else None
    if kind == "rel_week":
        d = pub + _dt.timedelta(days=week_offset)
        return _month(d.year, d.month)
    if kind == "rel_month":
        delta = -1 if core[0] == "上" else 1 if core[0] == "下" else 0
        return _month(*_shift_month(pub.year, pub.month, delta))
    if kind == "rel_day":
        return _relative_day(core, pub, _parse_pub(anchor))
    return None


def _ago(core: str, pub: _dt.date) -> str | None:
    """三天前 is a day, 两个月前 a month; 两个多月前, 几天前, 半年前 and years (no year granularity)
    are too vague to date."""
    if re.search("[多几数半]", core):
        return None
    n = _numbers(core.replace("两", "二"))[0]
    if "天" in core:
        return _day(pub - _dt.timedelta(days=n))
    if "月" in core:
        return _month(*_shift_month(pub.year, pub.month, -n))
    return None


def _relative_day(word: str, pub: _dt.date, anchor: _dt.date | None) -> str | None:
    if word[0] == "今":
        return _day(pub)
    if word[0] in "当同":
        return _day(anchor or pub)
    if word[0] in "次翌":
        return _day(anchor + _dt.timedelta(days=1)) if anchor else None
    offset = {"昨": -1, "前": -2, "明": 1, "后": 2}[word[0]]
    return _day(pub + _dt.timedelta(days=offset))


def sentence_date(sentence: str, pub_date: str | None, *, future: bool = False,
                  anchor: str | None = None) -> str | None:
    """The date of the most specific expression in a sentence: a day beats a month, then the first.

    With ``future`` the first day on or after the publication date is preferred, since a planned
    event's sentence often names the day it was reported first ("3日称…将于4日").

    >>> sentence_date("美东时间周二(3月18日)上午，美国总统川普和俄罗斯总统普京举行了电话会谈。", "2025-03-18")
    '2025-03-18'
    """
    first_day: str | None = None
    first_month: str | None = None
    found = find_date_expressions(sentence)
    for i, (_, end, expr) in enumerate(found):
        if i + 1 < len(found) and sentence[end:found[i + 1][0]].strip() in ("(", "（"):
            continue  # 今天（9月13日）: the date in brackets says it exactly
        resolved = resolve_date(expr, pub_date, future=future, anchor=anchor)
        if resolved is None:
            continue
        if len(resolved) == 10:
            if not future or pub_date is None or resolved >= pub_date[:10]:
                return resolved
            first_day = first_day or resolved
        elif first_month is None:
            first_month = resolved
    return first_day or first_month
