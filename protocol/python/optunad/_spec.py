"""Sampler and pruner objects that stand for the daemon's components.

Each class takes Optuna's arguments (same names, same positions, same keyword-only markers) and
serializes to the protocol's spec, ``{"type": "tpe", "seed": 10, ...}``, with only the options the
caller gave: the daemon fills in the defaults and validates the values.  Nested samplers and pruners
(``independent_sampler``, ``base_sampler``, ``wrapped_pruner``) become nested specs.

Python callables cannot cross the socket.  The one exception is ``constraints_func``: it is kept here
and evaluated by the client after each trial (see ``Study.tell``).  Any other callable option is a
TypeError at construction, naming the option.
"""

from __future__ import annotations

import inspect
from typing import Any, ClassVar

# Options the client evaluates itself instead of sending.
_CLIENT_SIDE = frozenset({"constraints_func"})


class ComponentSpec:
    """Base of the sampler and pruner classes."""

    #: The protocol's type name, e.g. ``"tpe"``.
    type_name: ClassVar[str] = ""
    #: Optuna's parameters, in order: ``(name, default, keyword_only)``.
    parameters: ClassVar[tuple[tuple[str, Any, bool], ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        try:
            bound = self.__signature__.bind(*args, **kwargs)
        except TypeError as e:
            raise TypeError(f"{type(self).__name__}: {e}") from None
        self._options: dict[str, Any] = {}
        self._client_side: dict[str, Any] = {}
        for name, value in bound.arguments.items():
            if name in _CLIENT_SIDE:
                if value is not None and not callable(value):
                    raise TypeError(f"{type(self).__name__}: {name} must be a callable")
                self._client_side[name] = value
            elif callable(value) and not isinstance(value, ComponentSpec) and not hasattr(value, "to_spec"):
                raise TypeError(
                    f"{type(self).__name__}: the option {name!r} is a Python callable, which cannot be sent to "
                    "optunad; give a value the daemon accepts or leave the option out")
            else:
                self._options[name] = value

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # The class's signature is Optuna's, so help(), IDEs and argument binding all see the real arguments.
        params = []
        for name, default, keyword_only in cls.parameters:
            kind = inspect.Parameter.KEYWORD_ONLY if keyword_only else inspect.Parameter.POSITIONAL_OR_KEYWORD
            params.append(inspect.Parameter(name, kind, default=default))
        cls.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]

    @property
    def options(self) -> dict[str, Any]:
        """The options given to the constructor (those sent to the daemon)."""
        return dict(self._options)

    @property
    def constraints_func(self) -> Any:
        """The ``constraints_func`` given to this component or to a nested one (None if none)."""
        if self._client_side.get("constraints_func") is not None:
            return self._client_side["constraints_func"]
        for value in self._options.values():
            if isinstance(value, ComponentSpec) and value.constraints_func is not None:
                return value.constraints_func
        return None

    def to_spec(self) -> dict[str, Any]:
        """The protocol's spec: ``{"type": ..., <options given>}``."""
        spec: dict[str, Any] = {"type": self.type_name}
        for name, value in self._options.items():
            spec[name] = value.to_spec() if hasattr(value, "to_spec") else value
        return spec

    def reseed_rng(self) -> None:
        """Does nothing: randomness lives in the daemon, derived from the study's seed."""

    def __eq__(self, other: Any) -> bool:
        if not isinstance(other, ComponentSpec):
            return NotImplemented
        return type(self) is type(other) and self.to_spec() == other.to_spec()

    def __hash__(self) -> int:
        return hash((type(self).__name__, repr(sorted(self._options))))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in {**self._options, **self._client_side}.items())
        return f"{type(self).__name__}({args})"


class UnknownComponent(ComponentSpec):
    """A component this client has no class for, as the daemon described it (kept and sent back as is)."""

    def __init__(self, spec: dict[str, Any]) -> None:  # noqa: D107
        self._spec = dict(spec)
        self._options = {k: v for k, v in spec.items() if k != "type"}
        self._client_side = {}

    def to_spec(self) -> dict[str, Any]:
        return dict(self._spec)

    def __repr__(self) -> str:
        return f"UnknownComponent({self._spec!r})"


def from_spec(spec: Any, classes: dict[str, type[ComponentSpec]]) -> ComponentSpec:
    """An object for a spec the daemon reports (``get_study``'s ``sampler``/``pruner``)."""
    if isinstance(spec, str):
        spec = {"type": spec}
    if not isinstance(spec, dict):
        raise ValueError(f"not a component spec: {spec!r}")
    cls = classes.get(str(spec.get("type")))
    if cls is None:
        return UnknownComponent(spec)
    options: dict[str, Any] = {}
    known = {name for name, _, _ in cls.parameters}
    for name, value in spec.items():
        if name == "type":
            continue
        if name not in known:
            return UnknownComponent(spec)
        if isinstance(value, dict) and "type" in value and name in ("independent_sampler", "base_sampler",
                                                                   "wrapped_pruner"):
            value = from_spec(value, classes)
        options[name] = value
    try:
        return cls(**options)
    except TypeError:
        return UnknownComponent(spec)
