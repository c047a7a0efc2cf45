"""The one place where graphkit registers spaCy factories, tokenizers and data loaders."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

__all__ = ["register"]

_done = False


def register() -> None:
    """Register everything once (idempotent); called by ``build_nlp``, never at import time."""
    global _done
    if _done:
        return
    from graphkit import resources
    from graphkit.nlp.components import (
        LAC_WORDS, ActorRuler, LacEntityRecognizer, RelationExtractor, WeaponRecognizer,
    )
    from graphkit.nlp.gazetteer import GazetteerEntries
    from graphkit.nlp.lac_entities import LacEntities
    from graphkit.nlp.tokenizer import LacTokenizer

    for attr in ("graphkit_relations", "graphkit_pub_date", LAC_WORDS):
        if not Doc.has_extension(attr):
            Doc.set_extension(attr, default=None)

    @registry.tokenizers("graphkit.LacTokenizer.v1")
    def make_lac_tokenizer(batch_size: int = 64, max_sentence_len: int = 300):
        def create(nlp):
            return LacTokenizer(nlp.vocab, batch_size=batch_size, max_sentence_len=max_sentence_len)
        return create

    @registry.misc("graphkit.gazetteer.v1")
    def gazetteer():
        return GazetteerEntries(resources.load_gazetteer())

    @registry.misc("graphkit.lexicon.v1")
    def lexicon():
        return resources.load_lexicon()

    @Language.factory("graphkit_lac_ner", default_config={"min_length": 2},
                      assigns=["doc.ents"], requires=["token.tag"])
    def make_lac_ner(nlp: Language, name: str, min_length: int):
        return LacEntityRecognizer(nlp, name, min_length=min_length)

    @Language.factory("graphkit_lac_entities",
                      default_config={"min_length": 2, "batch_size": 64, "max_sentence_len": 300},
                      assigns=["doc.ents", "doc.sents", "doc.spans", f"doc._.{LAC_WORDS}"])
    def make_lac_entities(nlp: Language, name: str, min_length: int, batch_size: int,
                          max_sentence_len: int):
        return LacEntities(nlp, name, min_length=min_length, batch_size=batch_size,
                           max_sentence_len=max_sentence_len)

    @Language.factory("graphkit_actor_ruler", default_config={"split_tokens": False},
                      assigns=["doc.ents"])
    def make_actor_ruler(nlp: Language, name: str, split_tokens: bool):
        return ActorRuler(nlp, name, split_tokens=split_tokens)

    @Language.factory("graphkit_weapon_ruler", default_config={"split_tokens": False},
                      assigns=["doc.ents"])
    def make_weapon_ruler(nlp: Language, name: str, split_tokens: bool):
        return WeaponRecognizer(nlp, name, split_tokens=split_tokens)

    @Language.factory("graphkit_relation_extractor", requires=["doc.ents", "doc.sents"],
                      assigns=["doc._.graphkit_relations"])
    def make_relation_extractor(nlp: Language, name: str):
        return RelationExtractor(nlp, name)

    _done = True
