"""Keep spaCy's command-line package out of start-up until something uses it.

``import spacy`` imports ``spacy.cli`` (typer, weasel, httpx, requests: about 0.4 s, a fifth of
graphkit's start-up) only to offer ``spacy.info``. graphkit never runs spaCy's CLI, so until
something uses it, the import system gives out a stand-in ``spacy.cli`` that loads the real
package the first time any of its names is used: ``spacy.cli.download``, ``spacy.info()`` and
``import spacy.cli.train`` all keep working for notebook users.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import types

__all__ = ["defer_spacy_cli"]

_CLI = "spacy.cli"
_INFO = "spacy.cli.info"


class _DeferredCli(types.ModuleType):
    def __getattr__(self, name: str):  # only called for names the stand-in does not have
        if name.startswith("__"):  # the import system probing module attributes
            raise AttributeError(name)
        return getattr(_real_cli(), name)


def _info(*args, **kwargs):
    """``spacy.info``: spaCy's own, loaded on the first call."""
    return _real_cli().info(*args, **kwargs)


class _StandIns(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds and makes the stand-ins; being imported through the import system, they are also
    set as attributes of their parents (``spacy.cli``) as real submodules are."""

    def __init__(self, cli_dir: str):
        self.cli_dir = cli_dir

    def find_spec(self, name, path=None, target=None):
        if name not in (_CLI, _INFO):
            return None
        return importlib.machinery.ModuleSpec(name, self, is_package=name == _CLI)

    def create_module(self, spec):
        return _DeferredCli(spec.name) if spec.name == _CLI else None

    def exec_module(self, module):
        if module.__name__ == _CLI:
            module.__path__ = [self.cli_dir]  # its submodules import from the real folder
        else:
            module.info = _info


def _real_cli() -> types.ModuleType:
    """Import the real ``spacy.cli`` in place of the stand-ins (once) and return it."""
    if isinstance(sys.modules.get(_CLI), _DeferredCli):
        sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _StandIns)]
        del sys.modules[_CLI]
        if getattr(sys.modules.get(_INFO), "info", None) is _info:
            del sys.modules[_INFO]
        importlib.import_module(_CLI)  # the import system sets spacy.cli to it, too
    return sys.modules[_CLI]


def defer_spacy_cli() -> None:
    """Install the stand-ins' finder, unless spaCy is imported already (nothing to save then),
    not installed, or the finder is in place."""
    if "spacy" in sys.modules or any(isinstance(f, _StandIns) for f in sys.meta_path):
        return
    spec = importlib.util.find_spec("spacy")  # finds the top-level package without importing it
    if spec is None or not spec.submodule_search_locations:
        return
    sys.meta_path.insert(0, _StandIns(os.path.join(spec.submodule_search_locations[0], "cli")))
