"""NSGA-II/III crossovers and mutation, with Optuna's names and arguments.

``NSGAIISampler(crossover=SBXCrossover(eta=15))`` is sent as
``{"type": "nsga2", "crossover": {"type": "sbx", "eta": 15}}``; the daemon runs the operator.
"""

from __future__ import annotations

from .._spec import ComponentSpec


class BaseCrossover(ComponentSpec):
    """Base of the crossover classes."""


class BaseMutation(ComponentSpec):
    """Base of the mutation classes."""


class UniformCrossover(BaseCrossover):
    """Each parameter from either parent (``uniform``)."""

    type_name = "uniform"
    parameters = (("swapping_prob", 0.5, False),)


class BLXAlphaCrossover(BaseCrossover):
    """Blend crossover (``blxalpha``)."""

    type_name = "blxalpha"
    parameters = (("alpha", 0.5, False),)


class SBXCrossover(BaseCrossover):
    """Simulated binary crossover (``sbx``)."""

    type_name = "sbx"
    parameters = (("eta", None, False), ("uniform_crossover_prob", 0.5, False), ("use_child_gene_prob", 0.5, False))


class VSBXCrossover(BaseCrossover):
    """Modified simulated binary crossover (``vsbx``)."""

    type_name = "vsbx"
    parameters = (("eta", None, False), ("uniform_crossover_prob", 0.5, False), ("use_child_gene_prob", 0.5, False))


class SPXCrossover(BaseCrossover):
    """Simplex crossover (``spx``)."""

    type_name = "spx"
    parameters = (("epsilon", None, False),)


class UNDXCrossover(BaseCrossover):
    """Unimodal normal distribution crossover (``undx``)."""

    type_name = "undx"
    parameters = (("sigma_xi", 0.5, False), ("sigma_eta", None, False))


class PolynomialMutation(BaseMutation):
    """Polynomial mutation (``polynomial``)."""

    type_name = "polynomial"
    parameters = (("eta", 20.0, False),)


__all__ = [
    "BaseCrossover", "BaseMutation", "UniformCrossover", "BLXAlphaCrossover", "SBXCrossover", "VSBXCrossover",
    "SPXCrossover", "UNDXCrossover", "PolynomialMutation",
]
