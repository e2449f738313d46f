"""Order statistics and the two-sided Mann-Whitney U test (normal approximation with tie correction)."""
import math


def quartiles(xs):
    s = sorted(xs)
    def q(p):
        k = (len(s) - 1) * p
        lo, hi = math.floor(k), math.ceil(k)
        return s[lo] + (s[hi] - s[lo]) * (k - lo)
    return q(0.25), q(0.5), q(0.75)


def mann_whitney(a, b):
    """Returns (U of a, two-sided p, one-sided p that a tends to be LESS than b)."""
    n1, n2 = len(a), len(b)
    pooled = sorted([(v, 0) for v in a] + [(v, 1) for v in b])
    ranks = [0.0] * len(pooled)
    ties = 0.0
    i = 0
    while i < len(pooled):
        j = i
        while j + 1 < len(pooled) and pooled[j + 1][0] == pooled[i][0]:
            j += 1
        r = (i + j) / 2 + 1
        for k in range(i, j + 1):
            ranks[k] = r
        t = j - i + 1
        ties += t ** 3 - t
        i = j + 1
    r1 = sum(r for r, (_, g) in zip(ranks, pooled) if g == 0)
    u1 = r1 - n1 * (n1 + 1) / 2
    mu = n1 * n2 / 2
    n = n1 + n2
    sigma = math.sqrt(n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)))) if n > 1 else 0
    if sigma == 0:
        return u1, 1.0, 0.5
    z_less = (u1 - mu + 0.5) / sigma
    z = (abs(u1 - mu) - 0.5) / sigma
    p_two = math.erfc(max(z, 0) / math.sqrt(2))
    p_less = 0.5 * math.erfc(-z_less / math.sqrt(2))
    return u1, min(1.0, p_two), p_less
