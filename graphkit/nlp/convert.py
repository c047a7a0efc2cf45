"""The single boundary from spaCy ``Doc`` to pydantic records (``ArticleResult``)."""

from __future__ import annotations

from spacy.tokens import Doc

from graphkit.nlp.gazetteer import fold
from graphkit.nlp.tokenizer import doc_text
from graphkit.schema import Article, ArticleResult, Mention, Relation

__all__ = ["doc_to_result", "name_key"]

_BRACKETS = ("(", "（")


def name_key(type_: str, text: str) -> str:
    """Linker key of a name found by NER: type plus the folded name (dots kept, spaces dropped)."""
    return f"n:{type_}:{''.join(fold(text).split())}"


def _keys(doc: Doc) -> list[str]:
    keys: list[str] = []
    ents = list(doc.ents)
    text = doc_text(doc)
    for i, ent in enumerate(ents):
        key = f"g:{ent.kb_id_}" if ent.kb_id_ else name_key(ent.label_, ent.text)
        prev = ents[i - 1] if i else None
        # 川普(Donald Trump): the bracketed name is another name of the one before it
        if (prev is not None and ent.start_char - prev.end_char == 1
                and text[prev.end_char] in _BRACKETS and prev.label_ == ent.label_):
            key = keys[-1]
        keys.append(key)
    return keys


def _verbatim(quantity: str | None, folded: str, original: str, start: int, end: int) -> str | None:
    """A quantity as the article writes it (108輛, not the folded 108辆): folding keeps offsets."""
    at = folded.find(quantity, start, end) if quantity else -1
    return original[at:at + len(quantity)] if at >= 0 else quantity


def doc_to_result(doc: Doc, article: Article, pub_date: str | None) -> ArticleResult:
    """Mentions quote ``article.text`` (the original script), not the simplified doc text."""
    keys = _keys(doc)
    mentions = tuple(
        Mention(article=article.id, start=e.start_char, end=e.end_char,
                text=article.text[e.start_char:e.end_char], type=e.label_, key=key)
        for e, key in zip(doc.ents, keys)
    )
    def arg(ref: str) -> str:
        return keys[int(ref[2:])] if ref.startswith("e:") else ref

    folded = doc_text(doc)
    relations = []
    for (typ, src, tgt, status, date, s, e, weapons, quantity, role, attribution) in (
            doc._.graphkit_relations or ()):
        relations.append(Relation(
            id="", source=arg(src), target=arg(tgt), type=typ, status=status, date=date,
            article=article.id, sentence=article.text[s:e], start=s, end=e,
            weapons=tuple(dict.fromkeys(arg(w) for w in weapons)), quantity=_verbatim(quantity, folded, article.text, s, e), role=role,
            source_attribution=attribution, article_date=pub_date,
        ))
    return ArticleResult(article=article.id, pub_date=pub_date, mentions=mentions,
                         relations=tuple(relations),
                         warnings=tuple(doc.user_data.get("graphkit_errors", ())))
