"""The packaged actor gazetteer (resources/gazetteer/*.jsonl): coverage, integrity, no ambiguity."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from importlib import resources

import opencc
import pytest

from graphkit.resources import load_gazetteer
from graphkit.schema import GazetteerEntry

T2S = opencc.OpenCC("t2s")
S2T = opencc.OpenCC("s2t")
_DOTS = re.compile(r"[·‧・•.．･∙⋅]")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# Chinese names deliberately shared by two entries. Keep this small and say why for each one.
# (Empty today: every shared form was either dropped or made specific, e.g. 伯恩斯 -> full names.)
ALLOWED_SHARED_NAMES: dict[str, frozenset[str]] = {}

# Words that name a kind of actor, never one actor: they must not be gazetteer names.
GENERIC_WORDS = frozenset({
    "总统", "总理", "首相", "政府", "国防部", "外交部", "国务卿", "部长", "军队", "美军", "俄军", "乌军",
    "以军", "国会", "议会", "总统府", "白宫发言人", "发言人", "军方", "当局",
})

FLOORS = {"PERSON": 250, "WEAPON": 100, "ORG": 150, "GPE": 380, "LOC": 30}


# In names these characters are written the same in both scripts, although OpenCC's s2t would change
# them (里 -> 裏, 范 -> 範, 朴 -> 樸, 干 -> 幹, 岩 -> 巖 ...).
_SAME_IN_NAMES = frozenset("里范干朴后余岩峰群秘")


def to_traditional(name: str) -> str:
    trad = S2T.convert(name)
    if len(trad) != len(name):
        return trad
    return "".join(s if s in _SAME_IN_NAMES else t for s, t in zip(name, trad))


def fold(name: str) -> str:
    """How names are compared: simplified script, no middle dots, ASCII lower case."""
    return _DOTS.sub("", T2S.convert(name)).lower()


@pytest.fixture(scope="module")
def entries() -> tuple[GazetteerEntry, ...]:
    return load_gazetteer()


@pytest.fixture(scope="module")
def by_id(entries) -> dict[str, GazetteerEntry]:
    return {e.id: e for e in entries}


@pytest.fixture(scope="module")
def name_index(entries) -> dict[str, set[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        for n in e.names:
            index[fold(n)].add(e.id)
    return index


def _file_rows(name: str) -> list[dict]:
    text = resources.files("graphkit.resources").joinpath("gazetteer", name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_counts_per_type_meet_floors(entries):
    counts = Counter(e.type for e in entries)
    assert len(entries) >= 600
    for typ, floor in FLOORS.items():
        assert counts[typ] >= floor, (typ, counts[typ])


def test_ids_are_unique_ascii_slugs(entries):
    ids = [e.id for e in entries]
    assert len(ids) == len(set(ids))
    bad = [i for i in ids if not _SLUG.fullmatch(i)]
    assert not bad


def test_references_resolve_to_gpe_entries(entries, by_id):
    for e in entries:
        for ref in (e.country, e.capital_of):
            if ref is not None:
                assert ref in by_id, (e.id, ref)
                assert by_id[ref].type == "GPE", (e.id, ref)


def test_capitals_cover_nearly_all_countries(entries):
    # city-states (Singapore, Monaco, Vatican) and a few capitals with ambiguous names have none
    assert len({e.capital_of for e in entries if e.capital_of}) >= 180


@pytest.mark.parametrize("filename,is_weapon", [("actors.jsonl", False), ("weapons.jsonl", True)])
def test_files_split_by_type_and_sorted(filename, is_weapon):
    rows = _file_rows(filename)
    assert rows
    assert all((r["type"] == "WEAPON") == is_weapon for r in rows)
    keys = [(r["type"], r["id"]) for r in rows]
    assert keys == sorted(keys), "keep lines sorted by type then id for stable diffs"


def test_no_chinese_name_names_two_entries(name_index):
    shared = {n: ids for n, ids in name_index.items() if len(ids) > 1}
    unexpected = {n: sorted(ids) for n, ids in shared.items()
                  if frozenset(ids) != ALLOWED_SHARED_NAMES.get(n)}
    assert not unexpected


def test_short_forms_are_unambiguous_and_not_full_names(entries, name_index):
    seen: dict[str, str] = {}
    for e in entries:
        for s in e.short:
            key = fold(s)
            assert e.type in ("GPE", "ORG"), e.id
            assert len(key) == 1 or key.endswith("方"), (e.id, s)
            assert seen.setdefault(key, e.id) == e.id, (s, seen[key], e.id)
            assert key not in name_index, (s, name_index.get(key))


def test_english_forms_name_one_entry(entries):
    index: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        for n in (e.en, *e.en_aliases):
            index[n.strip().lower()].add(e.id)
    assert not {n: ids for n, ids in index.items() if len(ids) > 1}


def test_every_entry_has_a_simplified_form(entries):
    assert not [e.id for e in entries if not any(T2S.convert(n) == n for n in e.names)]


def test_traditional_script_given_where_it_differs(entries):
    missing = []
    for e in entries:
        needs_trad = any(to_traditional(n) != n for n in e.names if T2S.convert(n) == n)
        has_trad = any(T2S.convert(n) != n for n in e.names)
        if needs_trad and not has_trad:
            missing.append(e.id)
    assert not missing


def test_first_name_is_the_simplified_display_form(entries):
    assert not [e.id for e in entries if T2S.convert(e.names[0]) != e.names[0]]


def test_person_names_have_at_least_two_characters(entries):
    assert not [(e.id, n) for e in entries if e.type == "PERSON" for n in e.names if len(fold(n)) < 2]


def test_no_generic_words_as_names(entries):
    assert not [(e.id, n) for e in entries for n in e.names if fold(n) in GENERIC_WORDS]


# fmt: off
GOLDEN_NAMES = [
    ("川普", "donald-trump"), ("特朗普", "donald-trump"), ("唐納德·川普", "donald-trump"),
    ("唐纳德‧特朗普", "donald-trump"), ("普丁", "vladimir-putin"), ("普京", "vladimir-putin"),
    ("澤倫斯基", "volodymyr-zelensky"), ("泽连斯基", "volodymyr-zelensky"),
    ("納坦雅胡", "benjamin-netanyahu"), ("賀錦麗", "kamala-harris"), ("蕭茲", "olaf-scholz"),
    ("肖尔茨", "olaf-scholz"), ("艾爾段", "recep-tayyip-erdogan"), ("馬克宏", "emmanuel-macron"),
    ("盧比歐", "marco-rubio"), ("卢比奥", "marco-rubio"), ("蘇利文", "jake-sullivan"),
    ("北韓", "north-korea"), ("紐西蘭", "new-zealand"), ("沙烏地阿拉伯", "saudi-arabia"),
    ("白俄羅斯", "belarus"), ("克宫", "kremlin"), ("五角大楼", "pentagon"), ("美国国防部", "us-defense-department"),
    ("美国国务院", "us-state-department"), ("国务院", "china-state-council"),
    ("俄罗斯外交部", "russia-foreign-ministry"), ("中共", "ccp"), ("新華社", "xinhua"),
    ("爱国者", "patriot"), ("海马斯", "himars"), ("愛國者飛彈", "patriot"), ("豹2", "leopard-2"),
    ("見證者-136", "shahed-136"), ("AGM-114", "hellfire"), ("F-16V", "f-16v"), ("殲-20", "j-20"),
    ("台海", "taiwan-strait"), ("霍尔木兹海峡", "strait-of-hormuz"), ("加薩走廊", "gaza"),
]
GOLDEN_CAPITALS = [
    ("基辅", "ukraine"), ("北京", "china"), ("华盛顿", "united-states"), ("莫斯科", "russia"),
    ("德黑兰", "iran"), ("平壤", "north-korea"), ("台北", "taiwan"),
]
# fmt: on


@pytest.mark.parametrize("name,expected", GOLDEN_NAMES)
def test_golden_names(name, expected, name_index):
    assert name_index.get(fold(name)) == {expected}


@pytest.mark.parametrize("city,country", GOLDEN_CAPITALS)
def test_golden_capitals(city, country, name_index, by_id):
    (city_id,) = name_index[fold(city)]
    assert by_id[city_id].type == "GPE"
    assert by_id[city_id].capital_of == country


def test_golden_types_short_forms_and_titles(by_id):
    assert by_id["patriot"].type == "WEAPON" and by_id["patriot"].country == "united-states"
    assert by_id["donald-trump"].type == "PERSON" and by_id["donald-trump"].country == "united-states"
    assert "美方" in by_id["united-states"].short and "美" in by_id["united-states"].short
    assert by_id["kremlin"].title == "Russian presidency"
    assert by_id["white-house"].title == "US presidency"
    assert "MIM-104" in by_id["patriot"].en_aliases
