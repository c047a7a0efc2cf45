"""The nlp stage: a spaCy ``Language`` built from a config in ``pipelines/`` (or the packaged default)."""

from __future__ import annotations

from importlib import resources as _res
from pathlib import Path

from graphkit.errors import ConfigError

__all__ = ["build_nlp", "read_config", "DEFAULT_PIPELINE"]

DEFAULT_PIPELINE = "zh_lac"


def read_config(config: str | Path | None) -> tuple[str, str]:
    """The config text and where it came from (the packaged default when ``config`` is None)."""
    if config is None or config == DEFAULT_PIPELINE:
        node = _res.files("graphkit.pipelines").joinpath(f"{DEFAULT_PIPELINE}.cfg")
        return node.read_text(encoding="utf-8"), f"{DEFAULT_PIPELINE}.cfg"
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
        nlp = spacy.util.load_model_from_config(cfg, auto_fill=True, validate=True)
        nlp.initialize()
    except (KeyError, ValueError, OSError) as exc:  # spaCy's config errors are ValueErrors
        raise ConfigError(f"cannot build the pipeline: {exc}", path=where,
                          hint="check the config against pipelines/zh_lac.cfg") from exc
    return nlp
