"""Re-builds copy unchanged elements from the previous outputs: always the bytes a fresh write gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graphkit.export import EXPORT_FILES, StagedFiles, export_pieces
from graphkit.export.reuse import Piece, ReusingWriter, Signatures, _Previous, index_path, plain
from graphkit.graph import build_graph
from graphkit.render import html_pieces
from graphkit.schema import Actor, Relation

FORMATS = [*EXPORT_FILES, "graph.html"]
XSS = '</script><b>"x" & y</b>'


def _graph(changed: bool = False):
    actors = [
        Actor(id="gpe:usa", label="美国", type="GPE", name_en="United States", aliases=("美国", "美方"),
              articles=("a1", "a2"), mentions=7),
        Actor(id="gpe:ukraine", label="乌克兰", type="GPE", aliases=("烏克蘭",), articles=("a1",), mentions=3),
        Actor(id="person:trump", label="特朗普", type="PERSON", aliases=("川普",), articles=("a2",),
              mentions=2 + changed),
        Actor(id="weapon:patriot", label="爱国者", type="WEAPON", mentions=1),
    ]
    relations = [
        Relation(id=f"r{i}", source="gpe:usa", target="gpe:ukraine", type="sells-weapons-to",
                 status="occurred", date=f"2024-0{i % 9 + 1}", article="a1", sentence=f"美国向乌克兰出售武器{i}。",
                 start=i, end=i + 10, weapons=("weapon:patriot",))
        for i in range(12)
    ]
    relations.append(Relation(id="rx", source="person:trump", target="gpe:usa", type="affiliated-with",
                              status="occurred", article="a2", sentence=XSS, start=0, end=5, role="总统"))
    if changed:  # one relation's evidence edited, one new actor and relation
        relations[5] = relations[5].model_copy(update={"sentence": "美国向乌克兰出售了武器。"})
        actors.append(Actor(id="person:putin", label="普京", type="PERSON", articles=("a3",), mentions=1))
        relations.append(Relation(id="ry", source="person:trump", target="person:putin", type="calls",
                                  status="occurred", article="a3", sentence="特朗普与普京通电话。", start=0, end=10))
    return build_graph(actors, relations)


def _pieces(G, name):
    return (html_pieces(G), G) if name == "graph.html" else export_pieces(G, name)


def _write(G, out: Path, name: str) -> ReusingWriter:
    """What a build with a cache does for one output: stage through the writer, save its
    index, rename into place."""
    pieces, graph = _pieces(G, name)
    writer = ReusingWriter(out / name, index_path(out / "index", out / name), Signatures(graph))
    files = StagedFiles()
    files.write(out / name, writer.chunks(pieces))
    writer.save(files.staged[-1][0])
    files.commit()
    return writer


def _fresh(G, name: str) -> bytes:
    return "".join(plain(_pieces(G, name)[0])).encode("utf-8")


@pytest.mark.parametrize("name", FORMATS)
def test_a_rewrite_copies_the_unchanged_elements_and_gives_a_fresh_writes_bytes(tmp_path, name):
    first = _write(_graph(), tmp_path, name)
    assert first.reused == 0
    assert (tmp_path / name).read_bytes() == _fresh(_graph(), name)

    same = _write(_graph(), tmp_path, name)
    assert same.made == 0 and same.reused == first.made > 0
    assert (tmp_path / name).read_bytes() == _fresh(_graph(), name)

    changed = _write(_graph(changed=True), tmp_path, name)
    assert (tmp_path / name).read_bytes() == _fresh(_graph(changed=True), name)
    assert changed.reused > changed.made > 0

    back = _write(_graph(), tmp_path, name)  # the new actor and relation removed, the edit undone
    assert (tmp_path / name).read_bytes() == _fresh(_graph(), name)
    assert back.reused > 0


def test_one_new_relation_remakes_only_its_own_overlay_record(tmp_path):
    """The page's overlay names a relation's group by its first relation, not by a running
    number: a relation sorting among the others must not change the records after it."""
    first = _write(_graph(), tmp_path, "graph.html")
    G = _graph()
    G.add_edge("gpe:ukraine", "gpe:usa", key="r05", **{**G.edges["gpe:usa", "gpe:ukraine", "r1"], "article": "a9"})
    second = _write(G, tmp_path, "graph.html")
    remade = {k for k, entry in second.entries.items() if first.entries.get(k, (None,))[0] != entry[0]}
    assert {k for k in remade if k[-1] == "overlay"} == {("e", "r05", "overlay")}
    assert (tmp_path / "graph.html").read_bytes() == _fresh(G, "graph.html")


def test_an_output_edited_since_is_not_copied_from(tmp_path):
    _write(_graph(), tmp_path, "graph.graphml")
    path = tmp_path / "graph.graphml"
    before = path.stat()
    path.write_bytes(path.read_bytes().replace("出售".encode(), "购买".encode()))  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))  # a second later
    again = _write(_graph(), tmp_path, "graph.graphml")
    assert again.reused == 0
    assert path.read_bytes() == _fresh(_graph(), "graph.graphml")


def test_a_damaged_or_missing_index_only_means_writing_everything(tmp_path):
    _write(_graph(), tmp_path, "graph.json")
    index = index_path(tmp_path / "index", tmp_path / "graph.json")
    index.write_bytes(b"\x00garbage")
    assert _write(_graph(), tmp_path, "graph.json").reused == 0
    index.unlink()
    assert _write(_graph(), tmp_path, "graph.json").reused == 0
    assert (tmp_path / "graph.json").read_bytes() == _fresh(_graph(), "graph.json")


def test_an_index_changed_by_one_byte_is_not_trusted(tmp_path):
    _write(_graph(), tmp_path, "graph.graphml")
    index = index_path(tmp_path / "index", tmp_path / "graph.graphml")
    data = bytearray(index.read_bytes())
    data[len(data) // 2] ^= 0x01  # a byte range or a signature, say: it fails its checksum
    index.write_bytes(bytes(data))
    again = _write(_graph(), tmp_path, "graph.graphml")
    assert again.reused == 0
    assert (tmp_path / "graph.graphml").read_bytes() == _fresh(_graph(), "graph.graphml")


def test_a_previous_file_that_reads_short_makes_those_elements(tmp_path, monkeypatch):
    _write(_graph(), tmp_path, "graph.gexf")
    monkeypatch.setattr(_Previous, "read", lambda self, start, end: None)
    again = _write(_graph(), tmp_path, "graph.gexf")
    assert again.reused == 0 and again.made > 0
    assert (tmp_path / "graph.gexf").read_bytes() == _fresh(_graph(), "graph.gexf")


def _run(tmp_path, extras, text):
    writer = ReusingWriter(tmp_path / "out.txt", tmp_path / "out.index", Signatures(None))
    pieces = ["<", Piece(("x", "only"), extras, lambda: text), ">"]
    files = StagedFiles()
    files.write(tmp_path / "out.txt", writer.chunks(pieces))
    writer.save(files.staged[-1][0])
    files.commit()
    return writer


def test_extras_equal_in_python_but_of_another_type_are_not_the_same(tmp_path):
    _run(tmp_path, False, "a")
    assert _run(tmp_path, False, "a").reused == 1
    assert _run(tmp_path, 0, "b").reused == 0  # False == 0, but a text made with 0 may differ
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "<b>"
    assert _run(tmp_path, 0.0, "c").reused == 0
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "<c>"


def test_indexes_of_two_output_folders_sharing_a_cache_do_not_mix(tmp_path):
    a, b = tmp_path / "a" / "graph.json", tmp_path / "b" / "graph.json"
    assert index_path(tmp_path, a) != index_path(tmp_path, b)
    assert os.path.dirname(index_path(tmp_path, a)) == str(tmp_path)


def test_the_page_layout_is_kept_for_a_graph_of_the_same_structure(tmp_path, monkeypatch):
    from graphkit import render

    def page(G):
        return "".join(plain(html_pieces(G, layout_memo=tmp_path)))

    first = page(_graph())
    assert len(list(tmp_path.glob("layout.*"))) == 1
    G = _graph()
    G.edges["gpe:usa", "gpe:ukraine", "r3"]["sentence"] = "美国向乌克兰出售了武器。"  # same actors, same pairs
    expected = "".join(plain(html_pieces(G)))
    real_positions = render._positions

    def not_again(*args):
        raise AssertionError("the layout was computed again")

    monkeypatch.setattr(render, "_positions", not_again)
    assert page(G) == expected != first
    with pytest.raises(AssertionError, match="computed again"):
        page(_graph(changed=True))  # a new actor and pair: a new layout
    monkeypatch.setattr(render, "_positions", real_positions)
    assert page(_graph(changed=True)) == "".join(plain(html_pieces(_graph(changed=True))))
    assert len(list(tmp_path.glob("layout.*"))) == 1  # only the latest graph's is kept
