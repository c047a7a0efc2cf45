"""notebooks/explore.ipynb: committed without outputs, and runs top to bottom offline."""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
EXPLORE = NOTEBOOKS / "explore.ipynb"


def _code_cells(nb) -> dict:
    return {cell["id"]: cell for cell in nb["cells"] if cell["cell_type"] == "code"}


def _text(cell) -> str:
    """Everything a code cell printed, as one string."""
    return "".join(out.get("text", "") for out in cell["outputs"] if out["output_type"] == "stream")


def unstripped(nb: dict) -> list[str]:
    """What a notebook carries beyond its source: outputs, counts, metadata, attachments."""
    problems = [f"notebook metadata {key!r}" for key in sorted(nb["metadata"])
                if key not in ("kernelspec", "language_info")]
    for cell in nb["cells"]:
        where = f"cell {cell.get('id')}"
        problems += [f"{where} metadata"] * bool(cell.get("metadata"))
        problems += [f"{where} attachments"] * bool(cell.get("attachments"))
        if cell["cell_type"] == "code":
            problems += [f"{where} outputs"] * bool(cell["outputs"])
            problems += [f"{where} execution_count"] * (cell["execution_count"] is not None)
    return problems


def test_committed_notebook_has_no_outputs():
    # Read as plain JSON, not nbformat: this check runs wherever the tests do.
    nb = json.loads(EXPLORE.read_text(encoding="utf-8"))
    assert nb["nbformat"] == 4 and nb["metadata"]["kernelspec"]["name"] == "python3"
    assert any(cell["cell_type"] == "code" for cell in nb["cells"])
    assert unstripped(nb) == [], (
        "clear the outputs before committing: "
        "jupyter nbconvert --clear-output --inplace notebooks/explore.ipynb")


def test_unstripped_spots_outputs():
    nb = json.loads(EXPLORE.read_text(encoding="utf-8"))
    ran = next(cell for cell in nb["cells"] if cell["cell_type"] == "code")
    ran.update(execution_count=3, outputs=[{"output_type": "stream", "name": "stdout", "text": "x"}],
               metadata={"scrolled": True})
    nb["metadata"]["widgets"] = {}
    assert unstripped(nb) == ["notebook metadata 'widgets'", f"cell {ran['id']} metadata",
                              f"cell {ran['id']} outputs", f"cell {ran['id']} execution_count"]


def _executed(tmp_path: Path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    from jupyter_client.manager import AsyncKernelManager

    nb = nbformat.read(EXPLORE, as_version=4)
    # ipc sockets (Unix domain sockets) in a private folder: no TCP port is opened, so the
    # kernel runs where localhost networking is off, and nothing is left in the repository.
    # "python3" is ipykernel's own spec, whose "python" jupyter_client replaces by
    # sys.executable: the kernel runs the interpreter that runs the tests.
    km = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=str(tmp_path / "k"),
                            connection_file=str(tmp_path / "kernel.json"))
    client = nbclient.NotebookClient(nb, km=km, timeout=300, startup_timeout=60,
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    # The kernel imports this checkout's graphkit, whatever else the environment has installed.
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    client.execute(env=env)
    return nb


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    return _executed(tmp_path_factory.mktemp("kernel"))


@pytest.mark.slow
def test_notebook_runs_without_errors(executed):
    for cell in executed["cells"]:
        if cell["cell_type"] == "code":
            errors = [out for out in cell["outputs"] if out["output_type"] == "error"]
            assert not errors, (cell["id"], errors)
            assert not any(out.get("name") == "stderr" and "Traceback" in out.get("text", "")
                           for out in cell["outputs"]), cell["id"]


@pytest.mark.slow
def test_notebook_answers_the_questions(executed):
    cells = _code_cells(executed)
    built = _text(cells["build"])
    assert re.fullmatch(r"5 articles → \d+ actors, \d+ relations\n", built), built
    assert "person:steve-witkoff" in _text(cells["names"])

    path_text = _text(cells["paths"])
    if "No chain" not in path_text:  # extraction may find none: then the message says so
        assert "Path 1:" in path_text and "「" in path_text
        assert re.search(r"\[(occurred|planned|considered|requested|refused|suspended|negated), ", path_text)

    calls = _text(cells["calls"])
    dated = re.findall(r"^  (2025-\d\d(?:-\d\d)?) ", calls, flags=re.M)
    assert dated and dated == sorted(dated), calls  # 2025 only, in date order
    assert calls.index("dated calls in 2025") < calls.index("undated calls")

    weapons = _text(cells["weapons"])
    assert re.match(r"\d+ transfers to Ukraine", weapons) and int(weapons.split()[0]) > 0
    shown = [out for out in cells["weapons"]["outputs"] if out["output_type"] == "execute_result"]
    if shown:  # pandas is there: the table is the cell's value
        table = shown[0]["data"]["text/html"]
        assert "status" in table and "weapons" in table and "乌克兰" in table


@pytest.mark.slow
def test_last_cell_draws_an_offline_ego_network(executed):
    last = [cell for cell in executed["cells"] if cell["cell_type"] == "code"][-1]
    assert "to_pyvis(ego(" in last["source"]
    (result,) = [out for out in last["outputs"] if out["output_type"] == "execute_result"]
    markup = result["data"]["text/html"]
    match = re.fullmatch(r'<iframe srcdoc="([^"]*)" [^>]*></iframe>', markup, flags=re.S)
    assert match, markup[:200]
    page = html.unescape(match.group(1))
    assert "vis.Network" in page and "person:donald-trump" in page
    # nothing is fetched: no remote script, stylesheet, image or CDN (licence comments may stay)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?https?:|url\(\s*["']?https?:|@import""", page)
    assert "cdn." not in page

