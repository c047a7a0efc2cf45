"""The error hierarchy: every message names the file, value or option and says what to do."""

__all__ = [
    "GraphkitError",
    "ConfigError",
    "ResourceError",
    "InputError",
    "ExtractionError",
    "ExportError",
    "error_payload",
    "error_from_payload",
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


def error_payload(exc: BaseException) -> dict:
    """``exc`` as JSON-able data, for a forked process to hand its failure to its parent."""
    return {"kind": type(exc).__name__, "message": getattr(exc, "message", str(exc)),
            "path": getattr(exc, "path", None), "hint": getattr(exc, "hint", None)}


def error_from_payload(payload: dict, fallback: type[GraphkitError]) -> GraphkitError:
    """The error :func:`error_payload` described: a graphkit error keeps its class, path and
    hint; any other becomes ``fallback`` naming the original type."""
    kind = globals().get(payload["kind"])
    if isinstance(kind, type) and issubclass(kind, GraphkitError):
        return kind(payload["message"], path=payload["path"], hint=payload["hint"])
    return fallback(f"{payload['kind']}: {payload['message']}", path=payload["path"], hint=payload["hint"])
