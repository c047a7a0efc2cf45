"""The nlp stage: a spaCy ``Language`` built from a config in ``pipelines/`` (or the packaged default)."""

from __future__ import annotations

from importlib import resources as _res
from pathlib import Path

from graphkit.errors import ConfigError
from graphkit.nlp.deferred_spacy_cli import defer_spacy_cli

defer_spacy_cli()  # before any graphkit.nlp module imports spaCy: saves a fifth of start-up

__all__ = ["build_nlp", "read_config", "DEFAULT_PIPELINE"]

DEFAULT_PIPELINE = "zh_lac"
_PKUSEG_MODEL_FILES = ("features.msgpack", "weights.npz")


def read_config(config: str | Path | None) -> tuple[str, str]:
    """The config text and where it came from: a .cfg path, or a packaged pipeline's name
    (``zh_lac``, ``zh_pkuseg``); the packaged default when ``config`` is None."""
    name = DEFAULT_PIPELINE if config is None else str(config)
    node = _res.files("graphkit.pipelines").joinpath(f"{name}.cfg")
    if name.isidentifier() and node.is_file():
        return node.read_text(encoding="utf-8"), f"{name}.cfg"
    path = Path(config)
    if not path.is_file():
        raise ConfigError("pipeline config not found", path=str(path),
                          hint=f"pass a .cfg file from pipelines/ or leave it out for {DEFAULT_PIPELINE}")
    return path.read_text(encoding="utf-8"), str(path)


def build_nlp(config: str | Path | None = None, **initialize_overrides):
    """Load and initialise the pipeline. ``initialize_overrides`` fill ``[initialize]`` values,
    e.g. ``build_nlp("pipelines/zh_pkuseg.cfg", pkuseg_model="/path/to/model")``."""
    import spacy
    from thinc.api import Config

    from graphkit.nlp.registry import register

    register()
    text, where = read_config(config)
    try:
        cfg = Config().from_str(text)
        for key, value in initialize_overrides.items():
            cfg["initialize"].setdefault("tokenizer", {})[key] = value
        _check_pkuseg(cfg, where)
        nlp = spacy.util.load_model_from_config(cfg, auto_fill=True, validate=True)
        nlp.initialize()
    except (KeyError, ValueError, OSError) as exc:  # spaCy's config errors are ValueErrors
        raise ConfigError(f"cannot build the pipeline: {exc}", path=where,
                          hint="check the config against pipelines/zh_lac.cfg") from exc
    return nlp


def _check_pkuseg(cfg, where: str) -> None:
    """spaCy's pkuseg segmenter needs a model folder; given a name (``mixed``) or nothing,
    spacy-pkuseg would try to download one. Fail early, offline, saying how to set it."""
    if cfg.get("nlp", {}).get("tokenizer", {}).get("segmenter") != "pkuseg":
        return
    init = cfg["initialize"].setdefault("tokenizer", {})
    model = init.get("pkuseg_model")
    how = ("pass a pkuseg model folder (with features.msgpack and weights.npz, as spacy_pkuseg.train "
           "writes them): graphkit build --pkuseg-model DIR, or build_nlp(config, pkuseg_model=DIR); "
           "or use pipelines/zh_lac.cfg, which needs no model")
    if not model:
        raise ConfigError("[initialize.tokenizer] pkuseg_model is not set", path=where, hint=how)
    folder = Path(model).expanduser()
    missing = [f for f in _PKUSEG_MODEL_FILES if not (folder / f).is_file()]
    if missing:
        raise ConfigError(f"[initialize.tokenizer] pkuseg_model {str(model)!r} is not a pkuseg model "
                          f"folder (no {', '.join(missing)}); graphkit never downloads models",
                          path=where, hint=how)
    try:
        import spacy_pkuseg  # noqa: F401
    except ImportError:
        raise ConfigError("the pkuseg segmenter needs spacy-pkuseg", path=where,
                          hint='pip install "graphkit[pkuseg]"') from None
    init["pkuseg_model"] = str(folder.resolve())  # a path: never a model name to download
