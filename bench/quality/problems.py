"""Benchmark problems, written once against the Optuna trial API so optunad and Optuna run the same code.

Each problem has a name, directions, an objective `f(trial)`, an optional `constraints(trial)` read back from user
attributes, and a score to compare runs: the best value (single objective) or the hypervolume against a fixed
reference point (several objectives; larger is better).
"""
import math

PI = math.pi


def branin(trial):
    x = trial.suggest_float("x", -5, 10)
    y = trial.suggest_float("y", 0, 15)
    b, c, r, s, t = 5.1 / (4 * PI * PI), 5 / PI, 6, 10, 1 / (8 * PI)
    return (y - b * x * x + c * x - r) ** 2 + s * (1 - t) * math.cos(x) + s


HARTMANN_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
HARTMANN_P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
              [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]
HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2]


def hartmann6(trial):
    x = [trial.suggest_float(f"x{i}", 0, 1) for i in range(6)]
    total = 0.0
    for i in range(4):
        inner = sum(HARTMANN_A[i][j] * (x[j] - HARTMANN_P[i][j] * 1e-4) ** 2 for j in range(6))
        total += HARTMANN_ALPHA[i] * math.exp(-inner)
    return -total


def rosenbrock10(trial):
    x = [trial.suggest_float(f"x{i}", -5, 10) for i in range(10)]
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(9))


def ackley5(trial):
    x = [trial.suggest_float(f"x{i}", -32.768, 32.768) for i in range(5)]
    n = len(x)
    a = -20 * math.exp(-0.2 * math.sqrt(sum(v * v for v in x) / n))
    b = -math.exp(sum(math.cos(2 * PI * v) for v in x) / n)
    return a + b + 20 + math.e


def styblinski_tang10(trial):
    x = [trial.suggest_float(f"x{i}", -5, 5) for i in range(10)]
    return sum(v ** 4 - 16 * v * v + 5 * v for v in x) / 2


def log_and_int(trial):
    """A training-like response surface: log-scaled learning rate and weight decay, integer widths and depth."""
    lr = trial.suggest_float("lr", 1e-5, 1, log=True)
    wd = trial.suggest_float("weight_decay", 1e-8, 1e-1, log=True)
    layers = trial.suggest_int("layers", 1, 8)
    units = trial.suggest_int("units", 8, 1024, log=True)
    dropout = trial.suggest_float("dropout", 0.0, 0.6, step=0.05)
    loss = (math.log10(lr) + 2.5) ** 2 + 0.3 * (math.log10(wd) + 4) ** 2
    loss += 0.2 * (layers - 4) ** 2 + 0.5 * (math.log2(units) - 7) ** 2 + 4 * (dropout - 0.2) ** 2
    return loss


def categorical_choice(trial):
    """Choose among sub-functions; only one of them can reach 0."""
    kind = trial.suggest_categorical("kind", ["sphere", "shifted", "rastrigin", "flat"])
    x = trial.suggest_float("x", -5, 5)
    y = trial.suggest_float("y", -5, 5)
    if kind == "sphere":
        return x * x + y * y + 1
    if kind == "shifted":
        return (x - 1) ** 2 + (y + 2) ** 2
    if kind == "rastrigin":
        return 20 + x * x - 10 * math.cos(2 * PI * x) + y * y - 10 * math.cos(2 * PI * y)
    return 5.0


def conditional(trial):
    """A conditional (dynamic) search space: each model type has its own parameters."""
    model = trial.suggest_categorical("model", ["linear", "tree", "net"])
    if model == "linear":
        c = trial.suggest_float("C", 1e-4, 1e4, log=True)
        return 1 + (math.log10(c) - 1) ** 2
    if model == "tree":
        depth = trial.suggest_int("depth", 1, 32)
        leaf = trial.suggest_int("min_leaf", 1, 64, log=True)
        return 0.5 + 0.05 * (depth - 12) ** 2 + 0.3 * (math.log2(leaf) - 3) ** 2
    lr = trial.suggest_float("net_lr", 1e-5, 1e-1, log=True)
    width = trial.suggest_int("width", 16, 512, log=True)
    return (math.log10(lr) + 3) ** 2 + 0.5 * (math.log2(width) - 7) ** 2


def zdt1(trial):
    x = [trial.suggest_float(f"x{i}", 0, 1) for i in range(6)]
    f1 = x[0]
    g = 1 + 9 * sum(x[1:]) / (len(x) - 1)
    return f1, g * (1 - math.sqrt(f1 / g))


def dtlz2(trial):
    x = [trial.suggest_float(f"x{i}", 0, 1) for i in range(6)]
    g = sum((v - 0.5) ** 2 for v in x[2:])
    f1 = (1 + g) * math.cos(x[0] * PI / 2) * math.cos(x[1] * PI / 2)
    f2 = (1 + g) * math.cos(x[0] * PI / 2) * math.sin(x[1] * PI / 2)
    f3 = (1 + g) * math.sin(x[0] * PI / 2)
    return f1, f2, f3


def constrained_branin(trial):
    """Branin with a disc-shaped feasible region that excludes two of its three minima."""
    v = branin(trial)
    x, y = trial.params["x"], trial.params["y"]
    c = (x - 2.5) ** 2 + (y - 7.5) ** 2 - 30
    trial.set_user_attr("constraint", [c])
    return v


def constraints_of(frozen):
    return frozen.user_attrs.get("constraint", [0.0])


PROBLEMS = {
    "branin": ("minimize", branin, None, None),
    "hartmann6": ("minimize", hartmann6, None, None),
    "rosenbrock10": ("minimize", rosenbrock10, None, None),
    "ackley5": ("minimize", ackley5, None, None),
    "styblinski_tang10": ("minimize", styblinski_tang10, None, None),
    "log_and_int": ("minimize", log_and_int, None, None),
    "categorical_choice": ("minimize", categorical_choice, None, None),
    "conditional": ("minimize", conditional, None, None),
    "zdt1": (["minimize", "minimize"], zdt1, None, [1.1, 11.0]),
    "dtlz2": (["minimize", "minimize", "minimize"], dtlz2, None, [2.5, 2.5, 2.5]),
    "constrained_branin": ("minimize", constrained_branin, constraints_of, None),
}
