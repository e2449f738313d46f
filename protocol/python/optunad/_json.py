"""JSON encoding and decoding for the wire, with the protocol's rules for non-finite floats.

Requests are encoded with Python's ``json.dumps``, which writes NaN and infinities as the bare tokens
``NaN``/``Infinity``/``-Infinity``; the daemon accepts them.  Responses always carry the strings
``"NaN"``, ``"Infinity"`` and ``"-Infinity"`` instead, so the fields that hold numbers (values,
intermediate values, constraints) are converted back with :func:`to_float`.
"""

from __future__ import annotations

import json
import math
from typing import Any

_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def _default(obj: Any) -> Any:
    # NumPy scalars and arrays (and anything shaped like them) without importing NumPy.
    if hasattr(obj, "tolist"):
        return obj.tolist()
    if hasattr(obj, "item"):
        return obj.item()
    if isinstance(obj, (set, frozenset)):
        return sorted(obj)
    raise TypeError(f"{type(obj).__name__} objects cannot be sent to optunad: {obj!r}")


def encode(message: Any) -> bytes:
    """One wire line: compact JSON followed by a newline."""
    text = json.dumps(message, allow_nan=True, separators=(",", ":"), default=_default, ensure_ascii=False)
    return text.encode("utf-8") + b"\n"


def decode(line: bytes) -> Any:
    """Parse one response line."""
    return json.loads(line.decode("utf-8"))


def to_float(value: Any) -> float | None:
    """A number from a response: a JSON number, or one of the strings the daemon writes for NaN and infinities."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return _NON_FINITE[value]
        except KeyError:
            raise ValueError(f"expected a number, got the string {value!r}") from None
    return float(value)


def to_floats(values: Any) -> list[float] | None:
    """A list of numbers from a response (or None)."""
    if values is None:
        return None
    return [to_float(v) for v in values]  # type: ignore[misc]
