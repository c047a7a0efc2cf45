"""graphkit.ingest: files and folders → Article + InputProblem, never a traceback."""

from __future__ import annotations

import codecs
import itertools
import json
import os
import tempfile
import threading
import time
from pathlib import Path

import pytest

from graphkit import ingest
from graphkit.errors import InputError
from graphkit.ingest import (
    decode_bytes,
    discover,
    html_title_and_text,
    html_to_text,
    iter_articles,
    normalise_date,
    read_articles,
)
from graphkit.schema import Article, InputProblem

REPO = Path(__file__).resolve().parents[1]


def _shared() -> Path | None:
    """``<repo>/../shared`` (CI), or one level higher for a git worktree; GRAPHKIT_SHARED wins."""
    env = os.environ.get("GRAPHKIT_SHARED")
    candidates = [Path(env)] if env else [REPO.parent / "shared", REPO.parents[1] / "shared"]
    return next((c for c in candidates if c.is_dir()), None)


# fmt: off
SIMPLIFIED = ("新华社北京9月30日电 国家主席习近平30日上午在人民大会堂会见来华进行国事访问的巴基斯坦总理。"
              "双方就深化两国全天候战略合作伙伴关系交换了意见，并同意加强在经贸、安全和人文领域的合作。\n"
              "外交部发言人表示，中方愿同巴方一道，推动中巴命运共同体建设不断取得新进展。\n")
TRADITIONAL = ("美國總統川普12日先與俄羅斯總統普京通話，雙方同意在沙特阿拉伯會晤，立即推動結束俄烏戰爭的談判。"
               "同日，川普後又與烏克蘭總統澤倫斯基通話，俄烏停戰露出曙光。\n"
               "克里姆林宮發言人佩斯科夫表示，兩國元首的會面地點尚未確定。\n")
# fmt: on


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def jsonl(path: Path, *lines: object) -> Path:
    """Objects are dumped; strings are written as they are (for malformed lines)."""
    text = "".join((line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n"
                   for line in lines)
    return write(path, text)


def only_problem(problems: list[InputProblem]) -> InputProblem:
    assert len(problems) == 1, problems
    return problems[0]


# --------------------------------------------------------------------------------------------
# Empty, binary and oversized files
# --------------------------------------------------------------------------------------------


def test_empty_file_is_skipped(tmp_path):
    path = write(tmp_path / "empty.txt", b"")
    articles, problems = read_articles([path])
    assert articles == []
    assert only_problem(problems) == InputProblem(
        path=str(path), severity="skipped", reason="empty file",
        fix="remove it or put the article text in it")


def test_whitespace_only_file_is_skipped(tmp_path):
    path = write(tmp_path / "blank.txt", " \r\n\t\u3000\n")
    articles, problems = read_articles([path])
    assert articles == []
    problem = only_problem(problems)
    assert (problem.severity, problem.reason) == ("skipped", "file holds only white space")


# fmt: off
BINARY_CASES = [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG image"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
    (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "ZIP archive or Office document"),
    (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip archive"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
]
# fmt: on


@pytest.mark.parametrize("data,kind", BINARY_CASES)
def test_binary_file_named_txt_is_skipped_with_its_kind(tmp_path, data, kind):
    path = write(tmp_path / "story.txt", data)
    articles, problems = read_articles([path])
    assert articles == []
    assert only_problem(problems) == InputProblem(
        path=str(path), severity="skipped", reason=f"binary file ({kind}) named .txt",
        fix="remove it or convert it to UTF-8 text")


def test_control_bytes_make_a_file_binary(tmp_path):
    data = bytes(range(0, 32)) * 10 + b"some text" * 10  # valid UTF-8, but 270 of 410 bytes are controls
    path = write(tmp_path / "data.txt", data)
    problem = only_problem(read_articles([path])[1])
    assert problem.reason == "binary file (66% control bytes) named .txt"
    assert problem.fix == "remove it or convert it to UTF-8 text"


def test_decode_bytes_raises_input_error_naming_the_file():
    with pytest.raises(InputError, match=r"\[GK300\] x/a\.txt: binary file \(PNG image\) named \.txt"):
        decode_bytes(b"\x89PNG\r\n\x1a\n....", "x/a.txt")


@pytest.fixture(scope="module")
def big_article(tmp_path_factory) -> tuple[Path, str]:
    """A 20 MB UTF-8 article (about 6.7 million characters)."""
    text = (SIMPLIFIED * (20_000_000 // len(SIMPLIFIED.encode()) + 1))
    path = write(tmp_path_factory.mktemp("big") / "big.txt", text)
    assert path.stat().st_size > 20_000_000
    return path, text


def test_20_mb_article_is_read_whole(big_article):
    path, text = big_article
    articles, problems = read_articles([path])
    assert problems == []
    assert articles[0].text == text


def test_article_over_max_bytes_is_skipped_with_the_option_to_raise_it(big_article):
    path, _ = big_article
    articles, problems = read_articles([path], max_bytes=1_000_000)
    assert articles == []
    problem = only_problem(problems)
    assert problem.reason == "larger than the limit of 1,000,000 bytes"
    assert "--max-bytes" in problem.fix


# --------------------------------------------------------------------------------------------
# Encodings: every case keeps exact text, so offsets stay valid
# --------------------------------------------------------------------------------------------

# fmt: off
LEGACY_CASES = [
    (SIMPLIFIED, "gb18030"),
    (SIMPLIFIED, "gbk"),
    (TRADITIONAL, "gb18030"),
    (TRADITIONAL, "big5"),
    (TRADITIONAL, "cp950"),
    (TRADITIONAL[:20], "big5"),  # a short one, where guessing is hardest
    (SIMPLIFIED[:20], "gb18030"),
]
# fmt: on


@pytest.mark.parametrize("text,encoding", LEGACY_CASES)
def test_chinese_legacy_encodings_without_bom_decode_exactly(tmp_path, text, encoding):
    path = write(tmp_path / "legacy.txt", text.encode(encoding))
    articles, problems = read_articles([path])
    assert problems == []
    assert articles[0].text == text


# fmt: off
UNICODE_CASES = [
    (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8 BOM"),
    (codecs.BOM_UTF16_LE + TRADITIONAL.encode("utf-16-le"), "utf-16-le BOM"),
    (codecs.BOM_UTF16_BE + TRADITIONAL.encode("utf-16-be"), "utf-16-be BOM"),
    (TRADITIONAL.encode("utf-16"), "utf-16 (BOM from Python)"),
    (codecs.BOM_UTF32_LE + SIMPLIFIED.encode("utf-32-le"), "utf-32-le BOM"),
    (TRADITIONAL.encode("utf-16-le"), "utf-16-le, no BOM"),
    (TRADITIONAL.encode("utf-16-be"), "utf-16-be, no BOM"),
]
# fmt: on


@pytest.mark.parametrize("data,label", UNICODE_CASES, ids=[c[1] for c in UNICODE_CASES])
def test_unicode_encodings_decode_exactly_and_drop_the_bom(tmp_path, data, label):
    path = write(tmp_path / "u.txt", data)
    articles, problems = read_articles([path])
    assert problems == []
    expected = TRADITIONAL if "utf-16" in label else SIMPLIFIED
    assert articles[0].text == expected
    assert not articles[0].text.startswith("\ufeff")


def test_mixed_line_endings_are_kept(tmp_path):
    text = "第一行\r\n第二行\n第三行\r第四行\r\n"
    path = write(tmp_path / "endings.txt", text)
    articles, problems = read_articles([path])
    assert problems == []
    assert articles[0].text == text


def test_nul_bytes_become_spaces_and_offsets_stay_aligned(tmp_path):
    text = "普京与特朗普\x00\x00通电话。泽连斯基\x00表示欢迎。"
    path = write(tmp_path / "nul.txt", text)
    articles, problems = read_articles([path])
    assert articles[0].text == text.replace("\x00", " ")
    assert len(articles[0].text) == len(text)
    assert articles[0].text.index("泽连斯基") == text.index("泽连斯基")
    assert only_problem(problems) == InputProblem(
        path=str(path), severity="degraded", reason="3 NUL character(s) replaced with spaces",
        fix="check the text; re-save the file as clean UTF-8 if it looks wrong")


def test_invalid_utf8_in_the_middle_is_replaced_and_reported(tmp_path):
    head, tail = SIMPLIFIED[:60], SIMPLIFIED[60:]
    data = head.encode() + "会".encode()[:2] + tail.encode()  # a character cut in half
    path = write(tmp_path / "cut.txt", data)
    articles, problems = read_articles([path])
    assert articles[0].text == head + "\ufffd" + tail
    problem = only_problem(problems)
    assert (problem.severity, problem.reason) == (
        "degraded", "1 invalid UTF-8 sequence(s) replaced with U+FFFD")


def test_undecodable_bytes_are_skipped_with_a_conversion_hint(tmp_path):
    path = write(tmp_path / "latin.txt", "Café crème brûlée à la française, déjà vu. " .encode("cp1252") * 3)
    articles, problems = read_articles([path])
    assert articles == []
    problem = only_problem(problems)
    assert problem.reason.startswith("cannot tell the text encoding named .txt")
    assert "iconv" in problem.fix


def test_xss_in_text_round_trips_verbatim(tmp_path):
    text = '<script>alert("x")</script><img src=x onerror=alert(1)> 普京 &amp; "引号" \'单\'\n'
    path = write(tmp_path / "xss.txt", text)
    (article,), problems = read_articles([path])
    assert problems == []
    assert article.text == text
    assert Article.model_validate_json(article.model_dump_json()) == article


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

NEWS_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>普京与特朗普通电话 - 新闻网</title>
<style>p { color: red }</style><script>var x = "<p>不是正文</p>";</script></head>
<body>
<header><h1>新闻网</h1><nav><a href="/">首页</a> <a href="/world">国际</a></nav></header>
<div class="layout">
  <aside><p>热门文章：一个很长很长很长很长很长很长很长很长很长很长很长很长很长很长的推荐标题</p></aside>
  <div class="content">
    <h2>普京与特朗普通电话</h2>
    <p>当地时间3月18日，美国总统特朗普与俄罗斯总统
       普京通电话。</p>
    <p>双方讨论了俄乌冲突&amp;停火问题。<br>会谈持续约两小时。
    <p hidden>隐藏内容</p>
    <form><p>订阅我们的新闻通讯</p></form>
  </div>
</div>
<noscript>请启用JavaScript</noscript>
<footer><p>版权所有 © 2025 新闻网</p></footer>
</body></html>"""


def test_html_keeps_main_text_and_drops_page_furniture():
    title, text = html_title_and_text(NEWS_PAGE)
    assert title == "普京与特朗普通电话 - 新闻网"
    assert text == ("普京与特朗普通电话\n"
                    "当地时间3月18日，美国总统特朗普与俄罗斯总统普京通电话。\n"
                    "双方讨论了俄乌冲突&停火问题。\n"
                    "会谈持续约两小时。")


def test_html_prefers_the_article_element():
    html = ("<body><div><p>侧栏一段很长的文字，不应该被选中，因为正文在article里面。</p></div>"
            "<article><h1>标题</h1><p>正文第一段。</p><p>正文第二段。</p>"
            "<footer>责任编辑：张三</footer></article></body>")
    assert html_title_and_text(html) == ("标题", "标题\n正文第一段。\n正文第二段。")


def test_html_text_with_br_and_no_paragraphs_is_kept():
    html = "<body><div id=c>第一段文字。<br>第二段文字。<br/>第三段。</div><p>©</p></body>"
    assert html_to_text(html) == "第一段文字。\n第二段文字。\n第三段。"


def test_html_file_becomes_an_article_with_title(tmp_path):
    path = write(tmp_path / "page.html", NEWS_PAGE)
    (article,), problems = read_articles([path])
    assert problems == []
    assert (article.id, article.title) == ("page.html", "普京与特朗普通电话 - 新闻网")
    assert article.text == html_to_text(NEWS_PAGE)
    assert "var x" not in article.text and "首页" not in article.text and "版权" not in article.text


def test_html_in_gbk_with_meta_charset(tmp_path):
    page = f'<html><head><meta charset="gb2312"><title>标题</title></head><body><p>{SIMPLIFIED}</p></body></html>'
    path = write(tmp_path / "gbk.htm", page.encode("gb18030"))
    (article,), problems = read_articles([path])
    assert problems == []
    assert article.text == html_to_text(page)


def test_html_without_text_is_skipped(tmp_path):
    path = write(tmp_path / "empty.html", "<html><head><script>x()</script></head><body><nav>首页</nav></body></html>")
    articles, problems = read_articles([path])
    assert articles == []
    assert only_problem(problems).reason == "no text left after removing markup, scripts and navigation"


# --------------------------------------------------------------------------------------------
# JSONL
# --------------------------------------------------------------------------------------------


def test_jsonl_records_become_articles_with_ids_dates_and_titles(tmp_path):
    path = jsonl(
        tmp_path / "a.jsonl",
        {"id": "s1", "title": "标题一", "date": "20220930", "url": "https://e.x/1", "text": "正文一"},
        {"id": 7, "date": "2022-10-01T08:00:00+08:00", "text": "正文二"},
        {"url": "https://e.x/3", "date": "2022年10月2日", "text": "正文三"},
        {"text": "正文四"},
    )
    articles, problems = read_articles([path])
    assert problems == []
    digest = ingest.content_hash("正文四")
    assert [(a.id, a.date, a.title, a.source) for a in articles] == [
        ("s1", "2022-09-30", "标题一", f"{path}:1"),
        ("7", "2022-10-01", None, f"{path}:2"),
        ("https://e.x/3", "2022-10-02", None, f"{path}:3"),
        (f"sha256:{digest}", None, None, f"{path}:4"),
    ]
    assert articles[0].url == "https://e.x/1"
    assert articles[0].content_hash == ingest.content_hash("正文一")


def test_jsonl_bad_lines_are_reported_by_line_and_reading_goes_on(tmp_path):
    path = jsonl(
        tmp_path / "bad.jsonl",
        {"id": "ok1", "text": "第一篇"},
        '{"id": "broken", "text": "没有结尾',
        {"id": "no-text", "title": "只有标题"},
        {"id": "list-text", "text": ["不是", "字符串"]},
        {"id": "empty", "text": "  "},
        ["not", "an", "object"],
        "",
        {"id": "ok1", "text": "重复的id"},
        {"id": "ok2", "text": "第一篇"},
        {"id": "ok3", "text": "最后一篇", "date": "next week"},
    )
    articles, problems = read_articles([path])
    assert [a.id for a in articles] == ["ok1", "ok3"]
    assert [(p.path.rsplit(":", 1)[1], p.severity, p.reason) for p in problems] == [
        ("2", "skipped", "malformed JSON: Unterminated string starting at (column 26)"),
        ("3", "skipped", "record has no 'text' field"),
        ("4", "skipped", "'text' is a list, expected a string"),
        ("5", "skipped", "'text' is empty"),
        ("6", "skipped", "expected a JSON object, found a list"),
        ("8", "duplicate", f"duplicate id 'ok1' (first read from {path}:1); skipped"),
        ("9", "duplicate", "same text as article 'ok1', read earlier; skipped"),
        ("10", "degraded", "date 'next week' not understood; left empty"),
    ]
    assert all(p.fix for p in problems)


def test_jsonl_duplicate_ids_across_files(tmp_path):
    first = jsonl(tmp_path / "a.jsonl", {"id": "x", "text": "甲"})
    jsonl(tmp_path / "b.jsonl", {"id": "x", "text": "乙"}, {"id": "y", "text": "丙"})
    articles, problems = read_articles([tmp_path])
    assert [a.id for a in articles] == ["x", "y"]
    problem = only_problem(problems)
    assert (problem.path, problem.severity) == (f"{tmp_path / 'b.jsonl'}:1", "duplicate")
    assert problem.reason == f"duplicate id 'x' (first read from {first}:1); skipped"


def test_jsonl_many_malformed_lines_are_summed_up(tmp_path):
    path = jsonl(tmp_path / "notjson.jsonl", *[f"plain text line {i}" for i in range(25)])
    articles, problems = read_articles([path])
    assert articles == []
    assert len(problems) == 11
    assert problems[-1] == InputProblem(
        path=str(path), severity="skipped", reason="15 more malformed line(s) not listed",
        fix="check that the file is JSONL (one JSON object per line)")


def test_jsonl_nul_and_lone_surrogate_escapes_are_replaced_one_for_one(tmp_path):
    path = write(tmp_path / "esc.jsonl", '{"id": "e", "text": "前\\u0000中\\ud800后"}\n')
    (article,), problems = read_articles([path])
    assert article.text == "前 中\ufffd后"
    assert only_problem(problems).reason == (
        "1 lone surrogate escape(s) replaced with U+FFFD; 1 NUL character(s) replaced with spaces")
    assert Article.model_validate_json(article.model_dump_json()) == article


def test_jsonl_with_bom_crlf_and_a_line_over_the_limit(tmp_path):
    long_text = "长" * 400
    data = (codecs.BOM_UTF8 + b'{"id": "a", "text": "\xe7\x94\xb2"}\r\n'
            + json.dumps({"id": "b", "text": long_text}, ensure_ascii=False).encode() + b"\n"
            + b'{"id": "c", "text": "\xe4\xb9\x99"}\n')
    path = write(tmp_path / "x.jsonl", data)
    articles, problems = read_articles([path], max_bytes=1000)
    assert [(a.id, a.text) for a in articles] == [("a", "甲"), ("c", "乙")]
    problem = only_problem(problems)
    assert (problem.path, problem.reason) == (f"{path}:2", "line longer than the limit of 1,000 bytes")


def test_json_array_file(tmp_path):
    path = write(tmp_path / "list.json", json.dumps([{"id": "a", "text": "甲"}, {"id": "b"}]))
    articles, problems = read_articles([path])
    assert [a.id for a in articles] == ["a"]
    assert only_problem(problems).path == f"{path}[1]"


def test_json_file_with_one_object_or_jsonl_inside(tmp_path):
    one = write(tmp_path / "one.json", json.dumps({"id": "a", "text": "甲"}, indent=2))
    lines = jsonl(tmp_path / "lines.json", {"id": "b", "text": "乙"}, {"id": "c", "text": "丙"})
    articles, problems = read_articles([one, lines])
    assert problems == []
    assert [(a.id, a.source) for a in articles] == [
        ("a", str(one)), ("b", f"{lines}:1"), ("c", f"{lines}:2")]


def test_jsonl_that_is_really_a_zip_is_skipped_whole(tmp_path):
    path = write(tmp_path / "corpus.jsonl", b"PK\x03\x04\n\x00\x00garbage\n{}\n")
    assert read_articles([path]) == ([], [InputProblem(
        path=str(path), severity="skipped", reason="binary file (ZIP archive or Office document) "
        "named .jsonl", fix="remove it or convert it to UTF-8 text")])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_jsonl_is_streamed_line_by_line(tmp_path):
    """The first article arrives while the writer still holds the pipe open."""
    pipe = tmp_path / "live.jsonl"
    os.mkfifo(pipe)
    first_seen = threading.Event()
    waited_in_vain: list[bool] = []

    def writer() -> None:
        with open(pipe, "w", encoding="utf-8") as fh:
            fh.write(json.dumps({"id": "a", "text": "甲"}) + "\n")
            fh.flush()
            waited_in_vain.append(not first_seen.wait(timeout=5))
            fh.write(json.dumps({"id": "b", "text": "乙"}) + "\n")

    thread = threading.Thread(target=writer)
    thread.start()
    stream = iter_articles([pipe])
    first = next(stream)
    first_seen.set()
    rest = list(stream)
    thread.join()
    assert waited_in_vain == [False]
    assert [first.id] + [a.id for a in rest] == ["a", "b"]


# --------------------------------------------------------------------------------------------
# Folders, names, duplicates
# --------------------------------------------------------------------------------------------


def test_same_text_under_two_names_is_a_duplicate(tmp_path):
    write(tmp_path / "a.txt", SIMPLIFIED)
    write(tmp_path / "b.txt", SIMPLIFIED)
    articles, problems = read_articles([tmp_path])
    assert [a.id for a in articles] == ["a.txt"]
    assert only_problem(problems) == InputProblem(
        path=str(tmp_path / "b.txt"), severity="duplicate",
        reason="same text as article 'a.txt', read earlier; skipped", fix="remove one of the two copies")


def test_same_file_name_in_two_folders_gets_a_unique_id(tmp_path):
    write(tmp_path / "news.txt", "甲")
    write(tmp_path / "sub" / "dir" / "news.txt", "乙")
    write(tmp_path / "z" / "news.txt", "丙")
    articles, problems = read_articles([tmp_path])
    assert problems == []
    assert [(a.id, a.text) for a in articles] == [
        ("news.txt", "甲"), ("sub/dir/news.txt", "乙"), ("z/news.txt", "丙")]
    # the same folder given twice under its own name and inside another root: still unique
    other = write(tmp_path.parent / f"{tmp_path.name}-2" / "news.txt", "丁")
    ids = [a.id for a in read_articles([tmp_path, other])[0]]
    assert ids[-1] == other.as_posix() and len(set(ids)) == 4


def test_folders_are_walked_in_sorted_order_and_foreign_files_ignored(tmp_path):
    for name in ["b.txt", "a.md", "c/d.html", "c.text", "B.TXT", "img.png", ".hidden.txt",
                 ".git/x.txt", "notes.docx", "e.jsonl", "x.txt/inner.txt"]:
        path = tmp_path / name
        body = '{"id": "e1", "text": "五"}\n' if name.endswith(".jsonl") else f"<p>{name}</p>"
        write(path, body)
    files, problems = discover([tmp_path])
    assert problems == []
    assert [f.relative_to(tmp_path).as_posix() for f in files] == [
        "B.TXT", "a.md", "b.txt", "c/d.html", "c.text", "e.jsonl", "x.txt/inner.txt"]
    assert discover([tmp_path]) == (files, problems)


def test_directory_named_like_a_text_file_is_just_a_folder(tmp_path):
    folder = tmp_path / "x.txt"
    folder.mkdir()
    write(folder / "a.txt", "甲")
    assert discover([folder]) == ([folder / "a.txt"], [])
    empty = tmp_path / "y.txt"
    empty.mkdir()
    assert discover([empty]) == ([], [])


def test_explicit_file_with_unknown_suffix_is_read_as_text(tmp_path):
    path = write(tmp_path / "article.dat", SIMPLIFIED)
    assert discover([tmp_path]) == ([], [])
    (article,), problems = read_articles([path])
    assert (article.id, article.text, problems) == ("article.dat", SIMPLIFIED, [])


def test_missing_path_and_dangling_symlinks(tmp_path):
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    missing = tmp_path / "missing.txt"
    articles, problems = read_articles([missing, link])
    assert articles == []
    assert [(p.path, p.reason) for p in problems] == [
        (str(missing), "no such file or folder"),
        (str(link), f"broken symbolic link (points to {str(tmp_path / 'nowhere.txt')!r}, which does not exist)"),
    ]
    # inside a folder too
    _, problems = discover([tmp_path])
    assert [p.path for p in problems] == [str(link)]


def test_symlink_loop_between_folders_terminates(tmp_path):
    write(tmp_path / "a" / "x.txt", "甲")
    (tmp_path / "a" / "loop").symlink_to(tmp_path, target_is_directory=True)
    files, problems = discover([tmp_path])
    assert problems == []
    assert files == [tmp_path / "a" / "x.txt"]


def test_fifo_inside_a_folder_is_reported_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    files, problems = discover([tmp_path])
    assert files == []
    assert only_problem(problems).reason == "not a regular file (named pipe (FIFO))"


def _mode_is_enforced(path: Path) -> bool:
    """False for root (CAP_DAC_OVERRIDE): it reads and lists whatever the mode says."""
    try:
        os.listdir(path) if path.is_dir() else path.read_bytes()
    except PermissionError:
        return True
    return False


def test_unreadable_file_by_permissions(tmp_path):
    path = write(tmp_path / "secret.txt", "甲")
    path.chmod(0)
    if not _mode_is_enforced(path):
        path.chmod(0o644)
        pytest.skip("this user reads files whatever their mode (root); see the open-time test")
    try:
        articles, problems = read_articles([tmp_path])
    finally:
        path.chmod(0o644)
    assert articles == []
    assert only_problem(problems).reason == "cannot read file: permission denied"


def test_unreadable_file_at_open_time(tmp_path, monkeypatch):
    """Works as root too: the open fails as it would for chmod 000 (or a vanished NFS file)."""
    path = write(tmp_path / "secret.txt", "甲")
    real_open = open

    def deny(file, *args, **kwargs):
        if Path(file) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", deny)
    articles, problems = read_articles([path])
    assert articles == []
    assert only_problem(problems) == InputProblem(
        path=str(path), severity="skipped", reason="cannot read file: Permission denied",
        fix="give read permission (chmod u+r) or leave it out")


def test_unreadable_folder(tmp_path):
    folder = tmp_path / "locked"
    write(folder / "a.txt", "甲")
    folder.chmod(0)
    if not _mode_is_enforced(folder):
        folder.chmod(0o755)
        pytest.skip("this user lists folders whatever their mode (root)")
    try:
        _, problems = discover([tmp_path])
    finally:
        folder.chmod(0o755)
    assert only_problem(problems).reason == "cannot list folder: Permission denied"


@pytest.fixture
def fast_tmp(tmp_path):
    """A RAM folder where there is one: writing 10,000 files to a busy disk is the slow part."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(dir=shm, prefix="graphkit-test-") as folder:
        yield Path(folder)


def test_ten_thousand_tiny_files_are_quick(fast_tmp):
    tmp_path = fast_tmp
    for i in range(10_000):
        (tmp_path / f"{i:05d}.txt").write_bytes(f"第{i}篇".encode())
    # CPU time, not wall time: a busy shared disk must not fail the test, per-file work must
    start = time.process_time()
    articles, problems = read_articles([tmp_path])
    elapsed = time.process_time() - start
    assert problems == []
    assert len(articles) == 10_000 and articles[0].id == "00000.txt" and articles[-1].text == "第9999篇"
    assert elapsed < 5, f"{elapsed:.2f}s CPU for 10,000 files"


def test_output_is_deterministic(tmp_path):
    write(tmp_path / "b" / "1.txt", "乙")
    write(tmp_path / "a.txt", "甲")
    jsonl(tmp_path / "c.jsonl", {"id": 1, "text": "丙"})
    first = [x.model_dump_json() for x in iter_articles([tmp_path])]
    assert first == [x.model_dump_json() for x in iter_articles([tmp_path])]
    assert [json.loads(x)["id"] for x in first] == ["a.txt", "1.txt", "1"]


# --------------------------------------------------------------------------------------------
# Dates and real inputs
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw,iso", [
    ("20220930", "2022-09-30"), (20220930, "2022-09-30"), ("2022-09-30", "2022-09-30"),
    ("2022-9-3T10:00:00Z", "2022-09-03"), ("2022/09/30 08:00", "2022-09-30"),
    ("2022年9月30日", "2022-09-30"), ("20221332", None), ("", None), (None, None), (True, None),
])
def test_normalise_date(raw, iso):
    assert normalise_date(raw) == iso


def test_repo_seeds_are_five_articles_named_by_file():
    seeds = REPO / "seeds"
    articles, problems = read_articles([seeds])
    assert problems == []
    names = sorted(p.name for p in seeds.glob("*.txt"))
    assert len(names) == 5 and [a.id for a in articles] == names
    for article in articles:
        assert article.text == (seeds / article.id).read_bytes().decode("utf-8")
        assert article.content_hash == ingest.content_hash(article.text)


def test_shared_corpus_first_lines():
    shared = _shared()
    corpus = shared / "corpus" / "xwlb_stories.jsonl" if shared else None
    if corpus is None or not corpus.is_file():
        pytest.skip("shared/corpus/xwlb_stories.jsonl is not beside the repository")
    with corpus.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in itertools.islice(fh, 20)]
    items = list(itertools.islice(iter_articles([corpus]), 20))
    by_line = {int(x.source.rsplit(":", 1)[1]) if isinstance(x, Article)
               else int(x.path.rsplit(":", 1)[1]): x for x in items}
    for lineno, record in enumerate(records, 1):
        item = by_line.get(lineno)
        if item is None:
            continue
        if not record["text"].strip():
            assert isinstance(item, InputProblem) and item.reason == "'text' is empty"
            continue
        assert isinstance(item, Article)
        assert (item.id, item.text, item.title) == (record["url"], record["text"], record["title"])
        d = record["date"]
        assert item.date == f"{d[:4]}-{d[4:6]}-{d[6:]}"
