"""Offset-preserving text clean-up: script and width folding, sentences, publication date, page noise.

Every function here is pure. ``to_simplified`` returns a string of exactly the input's length, so
an offset into its output is the same offset into the original article: later stages analyse the
simplified text and quote the original verbatim.

``noise_spans`` marks page furniture (captions, bylines, copyright and share lines, "related news"
lists, tweet attributions, URLs). Spans can lie inside a line (a dateline such as
``【看中国2025年2月13日讯】`` before the lead, a ``（图片来源：…）`` after it), so a consumer should
ignore mentions inside noise and drop only sentences that lie wholly in it.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter
from collections.abc import Iterator

__all__ = [
    "to_simplified",
    "sentence_spans",
    "detect_publication_date",
    "noise_spans",
    "within_any",
    "body_span",
    "subtract_spans",
]

Span = tuple[int, int]

# ---------------------------------------------------------------------------------------------
# Script and width
# ---------------------------------------------------------------------------------------------

_converter = None


def _opencc():
    global _converter
    if _converter is None:  # building the converter loads dictionaries: do it on first use only
        import opencc

        _converter = opencc.OpenCC("t2s")
    return _converter


# Full-width forms that serve as Chinese punctuation keep their width: downstream rules and the
# sentence splitter treat "，" and "," alike, but readers (and gold sentences) expect them verbatim.
_KEEP_FULLWIDTH = "，！？：；（）"
_WIDTH_FOLD: dict[int, str] = {
    cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F) if chr(cp) not in _KEEP_FULLWIDTH
}
_WIDTH_FOLD.update({cp: " " for cp in (0x3000, 0x00A0, 0x202F, 0x205F, *range(0x2000, 0x200B))})
# Name separators written with look-alike dots (史蒂夫‧威特科夫, 馬可・盧比奧) become the middle dot.
_WIDTH_FOLD.update({cp: "\u00b7" for cp in (0x2027, 0x30FB, 0xFF65, 0x2219, 0x22C5)})

_SURROGATES = re.compile(r"[\ud800-\udfff]+")


def _convert_piece(piece: str) -> str:
    """t2s for a surrogate-free piece; char by char if the phrase converter changes its length."""
    try:
        out = _opencc().convert(piece)
    except (UnicodeError, RuntimeError, ValueError):
        out = ""
    if len(out) == len(piece):
        return out
    chars = []
    for ch in piece:
        try:
            conv = _opencc().convert(ch)
        except (UnicodeError, RuntimeError, ValueError):
            conv = ch
        chars.append(conv if len(conv) == 1 else ch)
    return "".join(chars)


def to_simplified(text: str) -> str:
    """Traditional → simplified (OpenCC t2s) plus a width fold, keeping every offset.

    Full-width letters, digits and symbols become ASCII, ideographic and no-break spaces become
    spaces, look-alike name dots become "·"; CJK punctuation (，。“”「」：（）) is left alone.

    >>> to_simplified("烏克蘭總統「週四」說：ＡＢＣ１２３")
    '乌克兰总统「周四」说：ABC123'
    """
    if not text:
        return text
    if _SURROGATES.search(text) is None:
        out = _convert_piece(text)
    else:  # lone surrogates cannot be encoded for OpenCC: convert around them
        parts, pos = [], 0
        for m in _SURROGATES.finditer(text):
            parts.append(_convert_piece(text[pos:m.start()]) if m.start() > pos else "")
            parts.append(m.group())
            pos = m.end()
        parts.append(_convert_piece(text[pos:]) if pos < len(text) else "")
        out = "".join(parts)
    out = out.translate(_WIDTH_FOLD)
    assert len(out) == len(text), "to_simplified must keep offsets"
    return out


# ---------------------------------------------------------------------------------------------
# Lines and sentences
# ---------------------------------------------------------------------------------------------

_NEWLINES = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_BREAK = re.compile(f"[{_NEWLINES}]")

_TERMINATORS = "。！？!?；;｡"
_OPEN_QUOTES = {"“": "“", "「": "「", "‘": "‘", "『": "『"}
_CLOSE_QUOTES = {"”": "“", "」": "「", "’": "‘", "』": "『"}
# What may follow a terminator and still belong to its sentence (no ASCII quote: it may open the next).
_TRAILERS = frozenset(_TERMINATORS + "”’」』）)］]】》〉")
_SENTENCE_EVENT = re.compile(f"[{_NEWLINES}{_TERMINATORS}“”「」‘’『』\"]")
_SOFT_CUTS = ("，", "、", ",", " ")


def _lines(text: str) -> Iterator[Span]:
    """(start, end) of every line, newline characters excluded."""
    pos = 0
    for m in _LINE_BREAK.finditer(text):
        yield pos, m.start()
        pos = m.end()
    yield pos, len(text)


def _strip(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _quoted_regions(events: list[tuple[int, str]]) -> list[Span]:
    """Outermost quotations closed within the line, as (open, close) positions of the quote marks."""
    stack: list[tuple[int, str]] = []
    open_count: Counter[str] = Counter()
    pairs: list[Span] = []
    for pos, ch in events:
        if ch == '"':
            kind = '"' if open_count['"'] else None
            if kind is None:
                stack.append((pos, '"'))
                open_count['"'] += 1
                continue
        elif ch in _OPEN_QUOTES:
            stack.append((pos, ch))
            open_count[ch] += 1
            continue
        elif ch in _CLOSE_QUOTES:
            kind = _CLOSE_QUOTES[ch]
            if not open_count[kind]:
                continue  # a stray closer (or an apostrophe): ignore it
        else:
            continue
        while stack:  # pop to the matching opener; openers left unclosed inside it are dropped
            opened, okind = stack.pop()
            open_count[okind] -= 1
            if okind == kind:
                pairs.append((opened, pos))
                break
    pairs.sort()
    outer: list[Span] = []
    for o, c in pairs:
        if not outer or o > outer[-1][1]:
            outer.append((o, c))
    return outer


def _cut_long(text: str, start: int, end: int, max_len: int, out: list[Span]) -> None:
    while end - start > max_len:
        limit = start + max_len
        cut = max(text.rfind(c, start + 1, limit) for c in _SOFT_CUTS)
        stop = cut + 1 if cut > start else limit
        s, e = _strip(text, start, stop)
        if e > s:
            out.append((s, e))
        start, _ = _strip(text, stop, end)
    if end > start:
        out.append((start, end))


def _split_line(text: str, start: int, end: int, events: list[tuple[int, str]],
                max_len: int, out: list[Span]) -> None:
    quotes = _quoted_regions([(p, c) for p, c in events if c not in _TERMINATORS])
    pieces: list[Span] = []
    cur = start
    k = 0
    for pos, ch in events:
        if ch not in _TERMINATORS or pos < cur:
            continue
        if ch in "!?;" and pos + 1 < end and text[pos + 1].isascii() and text[pos + 1].isalnum():
            continue  # inside a URL or code, not a sentence end
        while k < len(quotes) and quotes[k][1] < pos:
            k += 1
        stop = pos + 1
        if k < len(quotes) and quotes[k][0] < pos < quotes[k][1]:
            close = quotes[k][1]
            while stop < close and text[stop] in _TRAILERS:
                stop += 1
            if stop < close:
                continue  # a terminator inside a quotation does not end the sentence
            stop = close + 1  # …进展。” ends after the closing quote
        while stop < end and text[stop] in _TRAILERS:
            stop += 1
        pieces.append((cur, stop))
        cur = stop
    pieces.append((cur, end))
    for a, b in pieces:
        s, e = _strip(text, a, b)
        if e > s:
            _cut_long(text, s, e, max_len, out)


def sentence_spans(text: str, max_len: int = 300) -> list[Span]:
    """Sentence (start, end) offsets: after 。！？!?；; and at line ends, never inside a quotation.

    A quotation that is not closed on its line does not protect its content. Spans are stripped of
    surrounding whitespace; a span longer than ``max_len`` is cut after its last ，、, or space
    before the limit, or hard-cut. Linear in the text's length.

    >>> t = '他说：“我相信今天取得了进展。”两人此前会面。'
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['他说：“我相信今天取得了进展。”', '两人此前会面。']
    """
    if max_len < 1:
        raise ValueError(f"max_len must be at least 1, got {max_len}")
    out: list[Span] = []
    line_start = 0
    events: list[tuple[int, str]] = []
    for m in _SENTENCE_EVENT.finditer(text):
        ch = m.group()
        if ch in _NEWLINES:
            _split_line(text, line_start, m.start(), events, max_len, out)
            line_start, events = m.end(), []
        else:
            events.append((m.start(), ch))
    _split_line(text, line_start, len(text), events, max_len, out)
    return out


# ---------------------------------------------------------------------------------------------
# Publication date
# ---------------------------------------------------------------------------------------------

_HEAD_CHARS = 600
_FULL_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*"
    r"(?:年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*(?:[日号]|(?!\d))"
    r"|(?P<sep>[-/.])\s*(?P<m2>\d{1,2})\s*(?P=sep)\s*(?P<d2>\d{1,2})(?!\d))"
)
_COMPACT_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?!\d)")
_YEAR_THEN_DAY = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*年[^\d\n]{0,12}?(?<!\d)(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"
)


def _iso(y: str | int, m: str | int, d: str | int) -> str | None:
    try:
        return _dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def _full_date(m: re.Match) -> str | None:
    return _iso(m["y"], m["m1"] or m["m2"], m["d1"] or m["d2"])


def detect_publication_date(text: str, meta_date: str | None = None) -> str | None:
    """The article's publication date as ``YYYY-MM-DD``, or None.

    A parseable ``meta_date`` wins (2022-09-30, 20220930, 2022/9/30, 2022年9月30日, with or
    without a time). Otherwise the earliest full date in the article's head (first ~600
    characters) is taken: a timestamp line, ``【看中国2025年2月13日讯】``, ``（2025年3月18日）``.
    A month and day without a year count only when a year stands just before them.

    >>> detect_publication_date("【看中國2025年2月13日訊】美國總統川普12日…")
    '2025-02-13'
    """
    if meta_date:
        meta = to_simplified(meta_date.strip())
        m = _FULL_DATE.match(meta)
        found = _full_date(m) if m else None
        if found is None and (c := _COMPACT_DATE.match(meta)):
            found = _iso(c["y"], c["m"], c["d"])
        if found:
            return found
    head = to_simplified(text[:_HEAD_CHARS])
    for m in _FULL_DATE.finditer(head):
        if found := _full_date(m):
            return found
    for m in _YEAR_THEN_DAY.finditer(head):
        if found := _iso(m["y"], m["m"], m["d"]):
            return found
    return None


# ---------------------------------------------------------------------------------------------
# Page noise
# ---------------------------------------------------------------------------------------------

_SENTENCE_END = tuple("。！？!?”」』\"'")

# A line that is a timestamp, optionally followed by a short site/category/count tail.
_DATE_LINE = re.compile(
    r"\W{0,3}(?:(?:发布|发表|更新|刊发|编辑)?(?:时间|日期)\s*[:：]\s*)?"
    r"(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日?|([-/.])\s*\d{1,2}\s*\1\s*\d{1,2})"
    r"(?:\s*(?:星期|周)[一二三四五六日天])?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
)
# Page widgets: view counters, share/print buttons, font-size switches.
_UI_WORDS = (
    "人气|阅读量|阅读数|阅读|浏览量|浏览次数|浏览|点击量|点击数|点击|评论数|评论|分享到|分享|收藏|打印|"
    "字号|字体|大|中|小|返回顶部|返回|顶部|上一篇|下一篇|举报|点赞|赞|在看|转发|纠错|关闭|展开全文|"
    "查看全文|阅读全文|全文|热度|来源|热门评论|网友评论|发表评论|我要评论|打印本页|关闭窗口|微信|微博|"
    "QQ空间|QQ|朋友圈|豆瓣|广告|推广|视频加载中|加载中|反馈"
)
_UI_LINE = re.compile(rf"(?:(?:{_UI_WORDS})\s*[:：]?\s*[\d,，.万+kKwW]*\s*[|｜/·]?\s*)+")
_UI_LINE_EN = re.compile(
    r"(?i)[a-z0-9 .,:|/&'-]*(?:play|listen|share|print|comments?|advertisement|read more|more news|"
    r"subscribe|sign up|log ?in|e-?mail|facebook|twitter|whatsapp|telegram|copy link|end)[a-z0-9 .,:|/&'-]*"
)
# Credits, bylines and editor lines (the label opens the line).
_CREDIT_LINE = re.compile(
    r"[\s【\[（(]*(?:责任编辑|责编|编辑|主编|编审|审校|审核|校对|值班编辑|作者|撰稿|撰文|翻译|编译|"
    r"摄影|图片编辑|视频编辑|文字编辑|出品|制作|策划|监制|出处|原标题|原文标题|原文链接|原文网址|原文地址|"
    r"稿源|文章来源|本文来源|新闻来源|消息来源|来源|关键词|关键字|标签|上一篇|下一篇|上一条|下一条|文|图)"
    r"\s*[:：/｜|]"
)
# Editor credits are unambiguous anywhere on a short line: "【纠错】 【责任编辑:张三】", "记者：甲 责编：乙".
_EDITOR_ANYWHERE = re.compile(r"(?:责任编辑|责编|网编|值班编辑|编审)\s*[:：]")
# A line that is only a bracketed tag: （完）, (路透社、法新社), 【完】.
_BRACKET_ONLY_LINE = re.compile(r"[（(【\[][^（）()【】\[\]\n。]{0,30}[）)】\]]")
_SOURCE_ONLY_LINE = re.compile(r"(?:本文|原文|文章)?(?:来源|出处)\s*[:：]?\s*\S{1,20}")
# Copyright and repost notices.
_COPYRIGHT = re.compile(
    r"版权所有|版权归|版权声明|未经(?:授权|许可|同意)|著作权|©|[Cc]opyright|[Aa]ll [Rr]ights [Rr]eserved|"
    r"独家稿件|原创稿件|本文系|本文为.{0,20}?(?:原创|独家|稿件|作品)|免责声明|不代表本(?:网|站|台|平台)|"
    r"(?:禁止|不得|谢绝|严禁|欢迎|请勿|如需|授权)转载|转载(?:请|须|需|必须|时|务必|自|于)|"
    r"仅代表作者|观点仅代表|信息存储空间|^(?:平台)?声明[:：]"
)
# Calls to scan, follow, download, subscribe or send tips.
_PROMO = re.compile(
    r"扫码|扫一扫|扫描.{0,6}?二维码|长按.{0,6}?(?:二维码|识别)|关注.{0,10}?(?:微信)?公众号|敬请关注|请关注|"
    r"下载.{0,8}?(?:APP|App|app|客户端)|(?:APP|App|app|客户端)下载|打开.{0,6}?(?:APP|App|app|客户端)|"
    r"点击(?:进入|查看|下载|阅读|关注|订阅)|阅读原文|新闻线索|欢迎投稿|投稿(?:邮箱|信箱|热线)|"
    r"爆料(?:热线|邮箱)|商务合作|广告合作|订阅(?:我们|本号|频道)|尽在.{0,12}?(?:APP|App|app|客户端)|"
    r"返回搜狐|点阅"
)
_PARENTHETICAL = re.compile(r"[（(][^（）()\n]{0,120}[）)]")
_CREDIT_PAREN = re.compile(r"[（(]\s*(?:责任编辑|责编|编辑|原标题|本文来源|文章来源|来源|作者|记者|通讯员|撰稿|编译)[:：\s]")
# Photo captions.
_CAPTION_START = re.compile(
    r"\s*(?:图为|图：|图:|图片：|图片:|图源|图片来源|图像来源|图像加注文字|图片加注文字|图片说明|图注|资料图|配图|"
    r"▲|△|↑|上图|下图|左图|右图|（图|\(图)"
)
_CAPTION_END = re.compile(
    r"(?:视觉中国|东方IC|IC ?[Pp]hoto|Getty ?Images?|供图|资料图片?|截图|新华社发|中新社发|[^\s，,。]{0,12}摄|"
    r"AFP|法新社|路透社?|Reuters|美联社|AP ?Photo|EPA|Shutterstock|图片来源[:：][^。]{0,40})[）)]?\s*$"
)
_CAPTION_INLINE = re.compile(
    r"(?:^|(?<=[。！？!?）)\s]))图为[^。！？\n]{0,120}[。]?"
    r"|[（(]\s*(?:图片?来源|图源|图片|图|摄影|照片|资料图片?|视频截图|截图)[^（）()\n]{0,80}[）)]"
    r"|[（(][^（）()\n]{0,40}?(?:摄|供图|截图|视觉中国|Getty Images?|via Getty|/AFP|AFP/|东方IC|新华社发|资料图片?)"
    r"\s*[）)]"
)
# Datelines and bylines that open the lead: 【文/观察者网 陈思佳】, 【看中国…讯】（记者…报导）, X讯，
_DATELINE_BRACKET = re.compile(r"\s*【[^】\n]{1,60}?】")
_DATELINE_WORDS = re.compile(r"讯|电|报道|报导|文\s*/|记者|编译|综合|消息|专稿|特稿|来源|撰稿")
_BYLINE_PAREN = re.compile(
    r"\s*[（(][^（）()\n]{0,60}?(?:记者|编译|报道|报导|通讯员|撰稿|特约|综合)[^（）()\n]{0,30}[）)]"
)
_SITE_TAIL = "(?:网|社|台|报|之家|新闻|频道|客户端|在线|财经|电视|电台|媒体)"
_DATELINE_PLAIN = re.compile(
    r"\s*(?!据|根据)[^，,。：:“”【】（）()\n]{1,24}?"
    rf"(?:{_SITE_TAIL}\s*讯(?=[，,：:\s（(])"  # 本报讯，温州在线军事新闻讯,
    r"|\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:电|讯息|讯|消息)"  # 新华社北京7月4日电, IT之家 7 月 4 日消息
    # 央视网消息（新闻联播）：; Taiwan wording turns 消息 into 訊息, which t2s keeps as 讯息
    rf"|{_SITE_TAIL}\s*(?:消息|讯息)(?=\s*[（(：:，,]))"
    r"(?:\s*[（(][^（）()\n]{0,30}[）)])?\s*[，,：:]?"
)
# Embedded tweets and links.
_TWEET_ATTRIBUTION = re.compile(
    r"\s*[—–-]{1,2}\s*[^\n]{1,80}\(@\w{1,30}\)\s*[A-Z][a-z]+\s+\d{1,2},\s+\d{4}\s*"  # — Name (@handle) Feb 12, 2025
)
_URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)[\w\-./?=&%#:~+@!]+")
# "Related news" / "recommended" headings: the list they open runs to the end of the article.
_BLOCK_HEADING = re.compile(
    r"相关(?:新闻|阅读|报道|文章|推荐|链接|资讯|专题|视频|内容)|推荐(?:阅读|新闻|文章|视频)|"
    r"热门(?:推荐|文章|新闻|资讯|排行|阅读|标签)|热点(?:推荐|新闻|文章)|猜你喜欢|你可能(?:还)?(?:喜欢|感兴趣)|"
    r"为你推荐|大家都在看|延伸阅读|扩展阅读|拓展阅读|更多(?:阅读|新闻|精彩|资讯|报道|内容)|精彩(?:推荐|图片|阅读)|"
    r"往期(?:回顾|推荐|精选)|今日推荐|编辑推荐|最新(?:新闻|文章|资讯|消息)|排行榜|"
    r"过去\s*24\s*小时(?:新闻|热门|热点)?|24\s*小时(?:热门|热点|新闻|排行)|\S{0,8}资讯推荐|\S{0,6}新闻推荐"
)
_HEADING_DECOR = "【】[]〖〗▍▎▌■□●◆◇▶►>》#*-—_=:：|｜ \t"
# "Headline - Site" lines; the same suffix on two or more lines marks a headline list.
_SITE_SUFFIX = re.compile(r"\S.{1,100}?\s[-–—|｜_]\s(\S{2,12})")
_WORDLESS_LINE = re.compile(r"[\W_]+")

_TERMINATOR_CHARS = re.compile("[。！？!?]")
_LONG_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{11}")
_BRACKETS = re.compile(r"[【】\[\]〖〗]")
_SHORT_LINE = 80
_LONG_BODY_LINE = 50


def _ends_sentence(line: str) -> bool:
    return line.endswith(_SENTENCE_END) and not line.endswith(("...", "…"))


def _line_noise(line: str) -> bool:
    """Whether a whole (stripped, non-empty) line is page furniture."""
    n = len(line)
    if n <= 60 and _WORDLESS_LINE.fullmatch(line):
        return True
    if n <= 120 and (m := _DATE_LINE.match(line)):
        tail = line[m.end():]  # a site, a column, a view count; not a headline
        if len(tail) <= 40 and not re.search(r"[。，,！？；]", tail) and not _LONG_CJK_RUN.search(tail):
            return True
    if n <= 40 and (_UI_LINE.fullmatch(_BRACKETS.sub(" ", line))
                    or (line.isascii() and _UI_LINE_EN.fullmatch(line))):
        return True
    if n <= 60 and (_CREDIT_LINE.match(line) or _SOURCE_ONLY_LINE.fullmatch(line)) \
            and not _TERMINATOR_CHARS.search(line):
        return True
    if n <= 60 and (_EDITOR_ANYWHERE.search(line) or _BRACKET_ONLY_LINE.fullmatch(line)):
        return True
    unbracketed = _PARENTHETICAL.sub("", line)  # a notice in brackets is marked on its own
    if n <= 200 and _COPYRIGHT.search(unbracketed):
        return True
    if n <= 120 and _PROMO.search(unbracketed):
        return True
    if n <= 150 and _CAPTION_START.match(line):
        return True
    if (n <= _SHORT_LINE and not _ends_sentence(line) and _CAPTION_END.search(line[-60:])
            and len(_TERMINATOR_CHARS.findall(line)) <= 1):  # a caption says one thing, then credits
        return True
    if n <= 120 and _TWEET_ATTRIBUTION.fullmatch(line):
        return True
    return False


def _inline_noise(simp: str, start: int, end: int) -> Iterator[Span]:
    """Noise inside a line that is otherwise story text."""
    line = simp[start:end]
    # lead-in dateline and byline
    pos = 0
    m = _DATELINE_BRACKET.match(line)
    if m and _DATELINE_WORDS.search(m.group()):
        pos = m.end()
    elif (m := _DATELINE_PLAIN.match(line)) and m.end() < len(line):
        pos = m.end()
    if (m := _BYLINE_PAREN.match(line, pos)) and (pos or m.end() < len(line)):
        pos = m.end()
    if pos:
        yield start, start + pos
    for m in _CAPTION_INLINE.finditer(line):
        yield start + m.start(), start + m.end()
    for m in _URL.finditer(line):
        yield start + m.start(), start + m.end()
    for m in _PARENTHETICAL.finditer(line):
        if _PROMO.search(m.group()) or _COPYRIGHT.search(m.group()) or _CREDIT_PAREN.match(m.group()):
            yield start + m.start(), start + m.end()
    # a trailing credit after the last sentence: "…。作者:yujeu", "…。（责任编辑：张三）"
    tail = re.search(r"(?:责任编辑|编辑|作者|来源|出处|撰稿|编译)\s*[:：][^。！？\n]{0,30}$", line[-40:])
    if tail:
        yield end - (len(line[-40:]) - tail.start()), end


def _is_heading(line: str) -> bool:
    core = line.strip(_HEADING_DECOR)
    return 0 < len(core) <= 20 and _BLOCK_HEADING.fullmatch(core) is not None


def _is_related_link(line: str) -> bool:
    """A single "相关阅读：<headline>" line inside the story."""
    core = line.lstrip(_HEADING_DECOR)
    m = _BLOCK_HEADING.match(core)
    return m is not None and len(line) <= 80 and core[m.end():m.end() + 1] in (":", "：", "】", "]")


def _body_resumes(simp: str, lines: list[Span], after: int) -> int | None:
    """Start of the first line from which two consecutive long, finished sentences follow."""
    run_start = None
    run = 0
    for s, e in lines[after:]:
        if s == e:
            continue
        line = simp[s:e]
        if len(line) >= _LONG_BODY_LINE and _ends_sentence(line) and not _line_noise(line):
            run_start = s if run == 0 else run_start
            run += 1
            if run >= 2:
                return run_start
        else:
            run = 0
    return None


def _merge(spans: list[Span], text: str) -> list[Span]:
    """Sorted union of the spans; spans that only whitespace separates become one."""
    out: list[Span] = []
    for s, e in sorted(spans):
        if e <= s:
            continue
        if out and (s <= out[-1][1] or text[out[-1][1]:s].isspace()):
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def within_any(spans: list[Span], start: int, end: int) -> bool:
    """Whether ``start:end`` lies wholly inside one of ``spans`` (e.g. :func:`noise_spans`)."""
    return any(a <= start and end <= b for a, b in spans)


def noise_spans(text: str) -> list[Span]:
    """Sorted, non-overlapping (start, end) spans of page noise, for either script.

    Whole lines: photo captions, credits and editor lines, copyright/repost notices, share and
    app adverts, page widgets, timestamp lines, tweet attributions, "headline - site" lists.
    Inside lines: the lead's dateline/byline, ``图为…`` captions, ``（图片来源：…）``, URLs.
    A "related news" heading (相关新闻, 推荐阅读, 过去24小时新闻, …分类资讯推荐, 延伸阅读…) starts
    a block that runs to the end of the article unless two long finished sentences follow it.
    """
    simp = to_simplified(text)
    lines = [_strip(simp, s, e) for s, e in _lines(simp)]
    spans: list[Span] = []
    suffixes: dict[str, list[Span]] = {}
    i = 0
    while i < len(lines):
        s, e = lines[i]
        i += 1
        if s == e:
            continue
        line = simp[s:e]
        if len(line) <= 30 and _is_heading(line):
            resume = _body_resumes(simp, lines, i)
            if resume is None:
                spans.append((s, len(text)))
                break
            block_end = e
            while i < len(lines) and lines[i][0] < resume:
                block_end = max(block_end, lines[i][1])
                i += 1
            spans.append((s, block_end))
            continue
        if _line_noise(line) or _is_related_link(line):
            spans.append((s, e))
            continue
        if len(line) <= 120 and (m := _SITE_SUFFIX.fullmatch(line)):
            suffixes.setdefault(m.group(1), []).append((s, e))
        spans.extend(_inline_noise(simp, s, e))
    for found in suffixes.values():
        if len(found) >= 2:
            spans.extend(found)
    return _merge(spans, text)


def body_span(text: str) -> Span:
    """The story proper: from the first to the last character that is neither space nor noise.

    Leading timestamp/site/byline lines and the trailing noise block (credits, copyright, related
    lists) fall outside it; noise inside the story does not shorten it. ``(0, 0)`` if nothing is left.
    """
    noise = noise_spans(text)
    start, k = 0, 0
    while start < len(text):
        while k < len(noise) and noise[k][1] <= start:
            k += 1
        if k < len(noise) and noise[k][0] <= start:
            start = noise[k][1]
        elif text[start].isspace():
            start += 1
        else:
            break
    end, k = len(text), len(noise) - 1
    while end > start:
        while k >= 0 and noise[k][0] >= end:
            k -= 1
        if k >= 0 and noise[k][1] >= end:
            end = noise[k][0]
        elif text[end - 1].isspace():
            end -= 1
        else:
            break
    return (start, end) if end > start else (0, 0)


def subtract_spans(spans: list[Span], noise: list[Span], text: str | None = None) -> list[Span]:
    """``spans`` with the ``noise`` ranges cut out (both sorted); pieces stripped when ``text`` is given.

    >>> subtract_spans([(0, 10)], [(2, 4)])
    [(0, 2), (4, 10)]
    """
    out: list[Span] = []
    k = 0
    for s, e in spans:
        while k < len(noise) and noise[k][1] <= s:
            k += 1
        j, cur = k, s
        while j < len(noise) and noise[j][0] < e:
            if noise[j][0] > cur:
                out.append((cur, noise[j][0]))
            cur = max(cur, noise[j][1])
            j += 1
        if cur < e:
            out.append((cur, e))
    if text is not None:
        out = [p for p in (_strip(text, a, b) for a, b in out) if p[1] > p[0]]
    return out
