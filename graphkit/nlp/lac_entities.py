"""LAC's analysis laid over the tokens of another tokenizer (spaCy's pkuseg one, ``zh_pkuseg.cfg``).

pkuseg tokens carry no LAC tags, sentence starts or page noise. ``LacEntities`` analyses the text
exactly as the default pipeline's ``LacTokenizer`` does (same sentences, noise skipped, gazetteer
cuts), recognises entities on those words with ``LacEntityRecognizer``, and copies the result onto
the doc: sentence starts, ``doc.spans["noise"]``, entities, and the LAC words themselves
(``doc._.graphkit_lac_words``, on which the rulers decide). Tokens are split where a boundary falls
inside one, never widened. So the graph is the default pipeline's; only the tokens differ.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from graphkit.nlp.components import LAC_WORDS, LacEntityRecognizer, split_tokens_at
from graphkit.nlp.tokenizer import NOISE_KEY, LacTokenizer

__all__ = ["LacEntities"]


class LacEntities:
    """Sentence starts, page noise, LAC entities and LAC words on docs from any tokenizer."""

    def __init__(self, nlp: Language, name: str, *, min_length: int = 2, batch_size: int = 64,
                 max_sentence_len: int = 300):
        self.name = name
        self.lac = LacTokenizer(nlp.vocab, batch_size=batch_size, max_sentence_len=max_sentence_len)
        self.recognizer = LacEntityRecognizer(nlp, name, min_length=min_length)

    def initialize(self, get_examples=None, *, nlp=None, gazetteer=None, lexicon=None) -> None:
        self.lac.initialize(gazetteer=gazetteer, lexicon=lexicon)
        self.recognizer.initialize(lexicon=lexicon)

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """Docs in, the same docs out; LAC sees the sentences of ``batch_size`` docs at a time."""
        docs = iter(docs)
        while chunk := list(islice(docs, batch_size)):
            analysed = self.lac.pipe([d.text for d in chunk], batch_size=len(chunk))
            for doc, lac_doc in zip(chunk, analysed):
                yield self._overlay(doc, self.recognizer(lac_doc))

    @staticmethod
    def _overlay(doc: Doc, lac_doc: Doc) -> Doc:
        sent_starts = {s.start_char for s in lac_doc.sents}
        noise = [(sp.start_char, sp.end_char) for sp in lac_doc.spans[NOISE_KEY]]
        ents = [(e.start_char, e.end_char, e.label_) for e in lac_doc.ents]
        split_tokens_at(doc, [*sent_starts, *(c for s, e in noise for c in (s, e)),
                              *(c for s, e, _l in ents for c in (s, e))])
        # one array, not token.is_sent_start per token (each set scans the doc for a parse)
        starts = [[1 if tok.i == 0 or tok.idx in sent_starts else -1] for tok in doc]
        doc.from_array([SENT_START], numpy.array(starts, dtype="int64").astype("uint64"))
        doc.spans[NOISE_KEY] = [sp for s, e in noise if (sp := _char_span(doc, s, e)) is not None]
        found = [sp for s, e, label in ents if (sp := _char_span(doc, s, e, label)) is not None]
        doc.ents = filter_spans(list(doc.ents) + found)
        doc._.set(LAC_WORDS, [(t.idx, t.idx + len(t.text), t.tag_) for t in lac_doc])
        return doc


def _char_span(doc: Doc, start: int, end: int, label: str = "") -> Span | None:
    """The span at these offsets; a space at either end may be a token's trailing whitespace
    (新华社…电 + " "), which no split can cut off: then the span without it."""
    span = doc.char_span(start, end, label=label)
    if span is None:
        span = doc.char_span(start, end, label=label, alignment_mode="contract")
        if span is not None and span.text != doc.text[start:end].strip():
            return None
    return span
