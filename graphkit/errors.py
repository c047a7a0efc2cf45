"""The error hierarchy: every message names the file, value or option and says what to do."""

__all__ = [
    "GraphkitError",
    "ConfigError",
    "ResourceError",
    "InputError",
    "ExtractionError",
    "ExportError",
]


class GraphkitError(Exception):
    """Base class; ``code`` is a stable identifier users can search for."""

    code = "GK000"

    def __init__(self, message: str, *, path: str | None = None, hint: str | None = None):
        self.message = message
        self.path = path
        self.hint = hint
        parts = [f"[{self.code}]"]
        if path:
            parts.append(f"{path}:")
        parts.append(message)
        if hint:
            parts.append(f"Fix: {hint}")
        super().__init__(" ".join(parts))


class ConfigError(GraphkitError):
    code = "GK100"


class ResourceError(GraphkitError):
    code = "GK200"


class InputError(GraphkitError):
    """A user's input file cannot be read as an article."""

    code = "GK300"


class ExtractionError(GraphkitError):
    code = "GK400"


class ExportError(GraphkitError):
    code = "GK500"
