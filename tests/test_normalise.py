"""normalise: offsets kept, sentences, publication dates, page noise, the story's extent."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.normalise import (
    body_span,
    detect_publication_date,
    noise_spans,
    sentence_spans,
    subtract_spans,
    to_simplified,
)

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
_S2T = opencc.OpenCC("s2t")


def _shared() -> Path | None:
    """``<repo>/../shared`` (CI), or one level higher for a git worktree; GRAPHKIT_SHARED wins."""
    env = os.environ.get("GRAPHKIT_SHARED")
    candidates = [Path(env)] if env else [REPO.parent / "shared", REPO.parents[1] / "shared"]
    return next((p for p in candidates if p.is_dir()), None)


def traditional(text: str) -> str:
    """The same text in traditional script, at the same offsets (checked)."""
    out = _S2T.convert(text)
    assert len(out) == len(text)
    return out


def both_scripts(cases):
    """Each simplified case, and its traditional twin, as pytest params."""
    params = []
    for case in cases:
        params.append(pytest.param(*case, id=f"simp-{case[0][:12]}"))
        params.append(pytest.param(traditional(case[0]), *case[1:], id=f"trad-{case[0][:12]}"))
    return params


def texts(text: str, spans) -> list[str]:
    return [text[s:e] for s, e in spans]


# --- to_simplified ---------------------------------------------------------------------------

# fmt: off
SIMPLIFY_CASES = [
    ("烏克蘭總統澤連斯基週四表示", "乌克兰总统泽连斯基周四表示"),
    ("川普總統於當地時間2月12日在白宮對記者說：「我跟普京」", "川普总统于当地时间2月12日在白宫对记者说：「我跟普京」"),
    ("ＡＢＣ１２３ｘｙｚ", "ABC123xyz"),                       # full-width letters and digits fold
    ("５．８９億美元（約）", "5.89亿美元（约）"),                  # full-width full stop folds, （） kept
    ("你好，世界。“引号”「括号」！？：；", "你好，世界。“引号”「括号」！？：；"),  # CJK punctuation kept
    ("甲\u3000乙\u00a0丙", "甲 乙 丙"),                          # ideographic and no-break spaces
    ("史蒂夫‧威特科夫、馬可・盧比奧", "史蒂夫·威特科夫、马可·卢比奥"),  # look-alike name dots
    ("already simplified 中国", "already simplified 中国"),
    ("", ""),
]
# fmt: on


@pytest.mark.parametrize("text, expected", SIMPLIFY_CASES)
def test_to_simplified_golden(text, expected):
    assert to_simplified(text) == expected
    assert len(to_simplified(text)) == len(text)


def test_to_simplified_lone_surrogate_and_nul_keep_offsets():
    text = "中國\ud800臺灣\x00國"
    out = to_simplified(text)
    assert out == "中国\ud800台湾\x00国"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_to_simplified_keeps_length_for_any_text(text):
    assert len(to_simplified(text)) == len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)))
def test_to_simplified_keeps_length_for_cjk(text):
    assert len(to_simplified(text)) == len(text)


# --- sentence_spans --------------------------------------------------------------------------

# fmt: off
SENTENCE_CASES = [
    # a terminator right before a closing quote ends the sentence after the quote
    ("他说：“我相信今天取得了进展。” 两人此前会面。", ["他说：“我相信今天取得了进展。”", "两人此前会面。"]),
    # no split inside a closed quotation
    ("“所以我听到的都是这些。人生很少确定，”贝森特说。下一句。",
     ["“所以我听到的都是这些。人生很少确定，”贝森特说。", "下一句。"]),
    # a quotation not closed on its line protects nothing
    ("他说：“第一句。第二句。\n“下一段。”", ["他说：“第一句。", "第二句。", "“下一段。”"]),
    # nested quotes and brackets
    ("他表示：「只有（美国的）爱国者才能保护我们。」尽管如此。",
     ["他表示：「只有（美国的）爱国者才能保护我们。」", "尽管如此。"]),
    ("“他想拥有‘战斧’导弹，”特朗普说。“我们有很多。”", ["“他想拥有‘战斧’导弹，”特朗普说。", "“我们有很多。”"]),
    ("真的吗？！他问。", ["真的吗？！", "他问。"]),
    ("第一；第二;第三!第四?", ["第一；", "第二;", "第三!", "第四?"]),
    ("（注：这是备注。）下一句。", ["（注：这是备注。）", "下一句。"]),
    ('他说"停下。"然后离开。', ['他说"停下。"', "然后离开。"]),
    ("  标题  \n\n\r\n 正文第一句。 ", ["标题", "正文第一句。"]),
    ("见 http://example.com/a?b=1 后文。", ["见 http://example.com/a?b=1 后文。"]),
    ("没有标点的一行", ["没有标点的一行"]),
    ("。。。", ["。。。"]),
    ("", []),
]
# fmt: on


@pytest.mark.parametrize("text, expected", both_scripts(SENTENCE_CASES))
def test_sentence_spans_golden(text, expected):
    got = texts(text, sentence_spans(text))
    assert [to_simplified(g) for g in got] == [to_simplified(e) for e in expected]


# fmt: off
LONG_CASES = [
    # (text, max_len, expected pieces)
    ("甲" * 10 + "，" + "乙" * 10, 15, ["甲" * 10 + "，", "乙" * 10]),
    ("甲" * 5 + "、" + "乙" * 5 + " " + "丙" * 8, 14, ["甲" * 5 + "、" + "乙" * 5, "丙" * 8]),
    ("a" * 25, 10, ["a" * 10, "a" * 10, "a" * 5]),
    ("短句。" + "长" * 12 + "。", 8, ["短句。", "长" * 8, "长" * 4 + "。"]),
]
# fmt: on


@pytest.mark.parametrize("text, max_len, expected", LONG_CASES)
def test_sentence_spans_cuts_long_sentences(text, max_len, expected):
    spans = sentence_spans(text, max_len=max_len)
    assert texts(text, spans) == expected
    assert all(e - s <= max_len for s, e in spans)


def test_sentence_spans_rejects_nonpositive_max_len():
    with pytest.raises(ValueError, match="max_len"):
        sentence_spans("句子。", max_len=0)


def _check_spans(text, spans):
    last = 0
    for s, e in spans:
        assert 0 <= last <= s < e <= len(text)
        last = e


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("中文 \n\r“”「」‘’『』\"。！？!?；;，、,()（）ab")) | st.text(),
       st.integers(min_value=1, max_value=40))
def test_sentence_spans_in_bounds_ordered_disjoint(text, max_len):
    spans = sentence_spans(text, max_len=max_len)
    _check_spans(text, spans)
    for s, e in spans:
        assert e - s <= max_len
        assert not text[s].isspace() and not text[e - 1].isspace()


# --- detect_publication_date -----------------------------------------------------------------

# fmt: off
PUBDATE_CASES = [
    # (text, meta, expected)
    ("正文", "2022-09-30", "2022-09-30"),
    ("正文", "20220930", "2022-09-30"),
    ("正文", "2022/9/30", "2022-09-30"),
    ("正文", "2022年9月30日", "2022-09-30"),
    ("正文", "2022-09-30T08:00:00+08:00", "2022-09-30"),
    ("2025-10-17 23:04 出处 温州在线\n正文", "不是日期", "2025-10-17"),   # unparseable meta falls back
    ("?\n2025-10-17 23:04?出处 温州在线\n\n正文2024年1月1日。", None, "2025-10-17"),
    ("标题\n\n2025年07月04日09:50:21 国际 8308\n\n【文/观察者网】当地时间7月3日", None, "2025-07-04"),
    ("图片说明。\n【看中国2025年2月13日讯】(看中国记者综合报导)美国总统12日", None, "2025-02-13"),
    ("2024-04-03\n标题\n\n央视网消息（新闻联播）：4月2日晚，", None, "2024-04-03"),
    ("标题\n2025/3/18\n正文", None, "2025-03-18"),
    ("标题（2025年3月18日）正文", None, "2025-03-18"),
    ("央视网消息（新闻联播）：4月2日晚，国家主席", None, None),      # month/day without a year
    ("2025年 4月2日晚，国家主席", None, "2025-04-02"),                # …unless a year stands before it
    ("标题\n正文没有日期。", None, None),
    ("2025-02-30 不存在的日期", None, None),
    ("正文" * 400 + "2025-10-17", None, None),                           # beyond the head
]
# fmt: on


@pytest.mark.parametrize("text, meta, expected", both_scripts(PUBDATE_CASES))
def test_detect_publication_date_golden(text, meta, expected):
    assert detect_publication_date(text, meta) == expected


def test_detect_publication_date_full_width_digits():
    assert detect_publication_date("【２０２５年２月１３日讯】") == "2025-02-13"


# --- noise_spans -----------------------------------------------------------------------------

# fmt: off
NOISE_CASES = [
    # (text, the noise pieces expected, in order)
    ("美国总统12日与普京通话。图为川普与普京资料图。(图片来源:JIM WATSON / AFP via Getty Image)\n正文。",
     ["图为川普与普京资料图。(图片来源:JIM WATSON / AFP via Getty Image)"]),     # touching spans merge
    ("【看中国2025年2月13日讯】(看中国记者杨天资编译/综合报导)美国总统川普12日通话。",
     ["【看中国2025年2月13日讯】(看中国记者杨天资编译/综合报导)"]),
    ("【文/观察者网 陈思佳】当地时间7月3日，美国总统特朗普通电话。", ["【文/观察者网 陈思佳】"]),
    ("温州在线军事新闻讯,美国总统周四表示。", ["温州在线军事新闻讯,"]),
    ("新华社华盛顿10月17日电（记者张三）美国总统周四表示。", ["新华社华盛顿10月17日电（记者张三）"]),
    ("据俄新社报道，普京周五会见了维特科夫。", []),                       # attribution is story text
    ("正文第一段。\n俄罗斯总统普京 视觉中国\n正文第二段。", ["俄罗斯总统普京 视觉中国"]),
    ("正文。\n6月20日，特朗普离开白宫。新华社记者胡友松摄\n正文。", ["6月20日，特朗普离开白宫。新华社记者胡友松摄"]),
    ("正文。\n责任编辑:林妍#\n", ["责任编辑:林妍#"]),
    ("正文。\n编辑：张三\n", ["编辑：张三"]),
    ("他们对此表示欢迎。作者:yujeu", ["作者:yujeu"]),
    ("正文。\n本文系观察者网独家稿件，未经授权，不得转载。", ["本文系观察者网独家稿件，未经授权，不得转载。"]),
    ("正文。\n本文来源:http://www.example.com/news/1.html,转载必须保留网址。", ["本文来源:http://www.example.com/news/1.html,转载必须保留网址。"]),
    ("正文。\n版权所有 © 2025 某某网", ["版权所有 © 2025 某某网"]),
    ("正文。\n扫码关注微信公众号，获取更多资讯", ["扫码关注微信公众号，获取更多资讯"]),
    ("(更多财经新闻,敬请关注微信公众号:王爷说财经)王爷说财经讯:7月4日消息。", ["(更多财经新闻,敬请关注微信公众号:王爷说财经)"]),
    ("正文。\n如果您有新闻线索或资料给本网，请进入。", ["如果您有新闻线索或资料给本网，请进入。"]),
    ("标题\n\n人气 5215\nPlayListen to More News\n\n正文。", ["人气 5215\nPlayListen to More News"]),
    ("标题\n2025年07月04日09:50:21 国际 8308\n正文。", ["2025年07月04日09:50:21 国际 8308"]),
    ("重磅!\n— 文智 (@wenzhi2020) February 12, 2025\n川普说… pic.twitter.com/ZFGRddZyny",
     ["— 文智 (@wenzhi2020) February 12, 2025", "pic.twitter.com/ZFGRddZyny"]),
    ("正文结束。\n相关新闻\n川普计划访问莫斯科\n普京同意停火\n评论",
     ["相关新闻\n川普计划访问莫斯科\n普京同意停火\n评论"]),
    ("正文结束。\n【推荐阅读】\n- 标题一\n- 标题二", ["【推荐阅读】\n- 标题一\n- 标题二"]),
    ("正文结束。\n过去24小时新闻\n- 标题一", ["过去24小时新闻\n- 标题一"]),
    ("正文结束。\n国际分类资讯推荐\n\n标题 - 某网", ["国际分类资讯推荐\n\n标题 - 某网"]),
    ("标题一 - 天天要闻\n正文一。\n标题二 - 天天要闻\n正文二。", ["标题一 - 天天要闻", "标题二 - 天天要闻"]),
    ("只出现一次的标题 - 某网\n正文。", []),                               # one " - site" line is not a list
    # a related block ends where two long finished sentences resume the story
    ("正文。\n延伸阅读\n旧闻标题\n" + "甲" * 60 + "。\n" + "乙" * 60 + "。",
     ["延伸阅读\n旧闻标题"]),
    ("发布时间：2025-10-17 10:36　来源：中国新闻网\n正文。", ["发布时间：2025-10-17 10:36　来源：中国新闻网"]),
    ("正文。\n（完）\n【纠错】 【责任编辑:张三】\n关键词：特朗普 普京\n上一篇：某某新闻",
     ["（完）\n【纠错】 【责任编辑:张三】\n关键词：特朗普 普京\n上一篇：某某新闻"]),
    ("图像来源，Getty Images\n图像加注文字，特朗普与普京会面\n特朗普表示，会谈很成功。\n(路透社、法新社)",
     ["图像来源，Getty Images\n图像加注文字，特朗普与普京会面", "(路透社、法新社)"]),
    ("他说，会谈很成功（原标题：特朗普称会谈成功）。\n（本文来自澎湃新闻，更多原创资讯请下载“澎湃新闻”APP）",
     ["（原标题：特朗普称会谈成功）", "（本文来自澎湃新闻，更多原创资讯请下载“澎湃新闻”APP）"]),
    ("正文。\n分享到：\n微信 微博 QQ空间\n字号：大 中 小", ["分享到：\n微信 微博 QQ空间\n字号：大 中 小"]),
    ("正文。\n相关阅读：美俄元首通话\n正文继续。", ["相关阅读：美俄元首通话"]),
    ("这一消息，令市场意外。", []),
    ("IT之家 7 月 4 日消息，近日，小马智行宣布测试。", ["IT之家 7 月 4 日消息，"]),
    ("本报讯 美国总统周四表示。", ["本报讯 "]),
    ("央视网讯息（新闻联播）：8月31日上午，主席会见来宾。", ["央视网讯息（新闻联播）："]),  # Taiwan wording
    ("2024年3月18日 俄罗斯总统大选结果正式公布\n正文。", []),   # a dated headline is not a timestamp
    ("他企图为自己辩护。地图为证。", []),                                 # 图为 only at a sentence start
    ("能源和基础设施停火30天\n正文。", []),                               # a subheading is story text
]
# fmt: on


@pytest.mark.parametrize("text, expected", both_scripts(NOISE_CASES))
def test_noise_spans_golden(text, expected):
    got = texts(text, noise_spans(text))
    assert [to_simplified(g) for g in got] == [to_simplified(e) for e in expected]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("中文图为摄讯电【】（）()“”。，\n -—相关新闻推荐阅读:：责任编辑2025年7月4日")) | st.text())
def test_noise_spans_never_raise_and_are_sorted(text):
    spans = noise_spans(text)
    _check_spans(text, spans)
    s, e = body_span(text)
    assert 0 <= s <= e <= len(text)


# --- body_span and subtract_spans -------------------------------------------------------------

# fmt: off
BODY_CASES = [
    # (text, the body's first and last characters)
    ("?\n2025-10-17 23:04?出处 温州在线\n\n温州在线军事新闻讯,特朗普周四表示。\n第二段。\n本文来源:http://a.cn/1.html,转载必须保留网址。",
     "特朗普周四表示。\n第二段。"),
    ("标题\n\n人气 5215\n正文最后一句。\n\n责任编辑:林妍#\n\n相关新闻\n某标题\n评论", "标题\n\n人气 5215\n正文最后一句。"),
    ("正文。", "正文。"),
    ("\n相关新闻\n标题", ""),
]
# fmt: on


@pytest.mark.parametrize("text, expected", both_scripts(BODY_CASES))
def test_body_span_golden(text, expected):
    s, e = body_span(text)
    assert to_simplified(text[s:e]) == expected


@pytest.mark.parametrize("spans, noise, text, expected", [
    ([(0, 10)], [(2, 4)], None, [(0, 2), (4, 10)]),
    ([(0, 5), (6, 10)], [(3, 8)], None, [(0, 3), (8, 10)]),
    ([(0, 5)], [(0, 5)], None, []),
    ([(0, 6)], [(3, 4)], "ab  cd", [(0, 2), (4, 6)]),
    ([(0, 4)], [], None, [(0, 4)]),
])
def test_subtract_spans(spans, noise, text, expected):
    assert subtract_spans(spans, noise, text) == expected


# --- the seed articles -----------------------------------------------------------------------

def _seed_gold() -> dict[str, dict]:
    shared = _shared()
    path = shared / "gold" / "seeds.jsonl" if shared else None
    if path is None or not path.is_file():
        pytest.skip("shared/gold/seeds.jsonl is not beside the repository")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {row["article"]: row for row in rows}


def test_seed_bodies_start_outside_noise_and_end_inside_body_span():
    gold = _seed_gold()
    checked = 0
    for path in sorted(SEEDS.glob("*.txt")):
        row = gold.get(path.name)
        if row is None:
            continue
        text = path.read_text(encoding="utf-8")
        first, last = row["body"]["first"], row["body"]["last"]
        start = text.find(first)
        end = text.rfind(last) + len(last)
        assert start >= 0 and end >= len(last), path.name
        noise = noise_spans(text)
        assert not any(s <= start < e for s, e in noise), (path.name, text[start:start + 20])
        bs, be = body_span(text)
        assert bs <= end - len(last) and end <= be, (path.name, text[be - 20:be])
        checked += 1
    assert checked == 5


def test_seed_001_category_recommendations_are_noise():
    text = (SEEDS / "001_b42b725002f68f59.txt").read_text(encoding="utf-8")
    heading = text.index("國際分類資訊推薦")
    assert any(s <= heading and e == len(text) for s, e in noise_spans(text))
    assert body_span(text)[1] < heading


def test_seed_trailing_blocks_are_noise():
    text003 = (SEEDS / "003_19e93c5fe74daeee.txt").read_text(encoding="utf-8")
    text004 = (SEEDS / "004_2a6d5082bc5fee0b.txt").read_text(encoding="utf-8")
    for text, heading in ((text003, "责任编辑"), (text004, "过去24小时新闻")):
        at = text.index(heading)
        kept = subtract_spans([(at, len(text))], noise_spans(text), text)
        assert kept == [], texts(text, kept)
        assert body_span(text)[1] < at


# --- linear time -----------------------------------------------------------------------------

@pytest.mark.parametrize("line", ["中" * 200_000, "“中" * 100_000, "（图" * 100_000, "中，" * 100_000])
def test_long_line_is_fast(line):
    t0 = time.perf_counter()
    spans = sentence_spans(line)
    noise_spans(line)
    assert time.perf_counter() - t0 < 5
    assert spans[0][0] == 0 and spans[-1][1] == len(line)
