"""graphkit: typed actor/relation graphs from Chinese-language news, offline."""

__version__ = "0.1.0"

__all__ = ["__version__"]
