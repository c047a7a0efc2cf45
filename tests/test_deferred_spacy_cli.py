"""spaCy's CLI is kept out of start-up, yet everything in it still works once asked for.

Each case runs in a fresh interpreter: the test process has imported spaCy long ago.
"""

import json
import subprocess
import sys

import pytest


def _run(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


_CLI_LIBS = "[m for m in sys.modules if m.split('.')[0] in ('typer', 'weasel', 'httpx', 'requests')]"


@pytest.mark.slow
def test_pipeline_loads_without_spacys_cli_libraries():
    out = _run("import json, sys\nfrom graphkit.nlp import build_nlp\nnlp = build_nlp()\n"
               "doc = nlp('美国总统特朗普与俄罗斯总统普京通电话。')\n"
               f"print(json.dumps({{'libs': {_CLI_LIBS}, 'ents': [e.text for e in doc.ents],"
               " 'cli': type(sys.modules['spacy.cli']).__name__}))")
    assert out["libs"] == []
    assert out["cli"] == "_DeferredCli"
    assert {"美国", "特朗普", "俄罗斯", "普京"} <= set(out["ents"])


def test_spacy_info_and_cli_names_load_the_real_cli():
    out = _run("import json, sys\nimport graphkit.nlp\nimport spacy\n"
               "version = spacy.info()['spacy_version']\n"
               "print(json.dumps({'version': version, 'real': type(spacy.cli).__name__,"
               " 'same': spacy.cli is sys.modules['spacy.cli'], 'download': callable(spacy.cli.download)}))")
    assert out["version"].count(".") == 2
    assert out == {"version": out["version"], "real": "module", "same": True, "download": True}


def test_cli_submodules_import_through_the_stand_in():
    out = _run("import json, sys\nimport graphkit.nlp\nimport spacy\nimport spacy.cli.train\n"
               "print(json.dumps({'train': callable(spacy.cli.train.train),"
               " 'init_config': callable(spacy.cli.init_config)}))")
    assert out == {"train": True, "init_config": True}


def test_nothing_is_deferred_when_spacy_came_first():
    out = _run("import json, sys\nimport spacy\nimport graphkit.nlp\n"
               "from graphkit.nlp.deferred_spacy_cli import _StandIns\n"
               "print(json.dumps({'finder': any(isinstance(f, _StandIns) for f in sys.meta_path),"
               " 'cli': type(sys.modules['spacy.cli']).__name__}))")
    assert out == {"finder": False, "cli": "module"}
