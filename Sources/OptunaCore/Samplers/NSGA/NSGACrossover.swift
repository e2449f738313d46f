/// The crossovers of Optuna's NSGA-II/III samplers, on parameters in the transformed space.
///
/// On the wire a crossover is its name (`"uniform"`, `"blxalpha"`, `"spx"`, `"sbx"`, `"vsbx"`, `"undx"`)
/// or an object `{"type": name, …}` with the class's keyword arguments.
public enum NSGACrossover: Sendable, Hashable {
    /// Each parameter from either parent (probability `swappingProb` for the second).
    case uniform
    /// Uniform in the box spanned by two parents, widened by `alpha` of its width on each side.
    case blxAlpha(alpha: Double)
    /// Simulated binary crossover; `eta` nil means 20 for several objectives, 2 for one.
    case sbx(eta: Double?, uniformCrossoverProb: Double, useChildGeneProb: Double)
    /// vSBX, SBX without excluded regions; parameters as ``sbx(eta:uniformCrossoverProb:useChildGeneProb:)``.
    case vsbx(eta: Double?, uniformCrossoverProb: Double, useChildGeneProb: Double)
    /// Simplex crossover of three parents; `epsilon` nil means `sqrt(n + 2)`.
    case spx(epsilon: Double?)
    /// Unimodal normal distribution crossover of three parents; `sigmaEta` nil means `0.35 / sqrt(n)`.
    case undx(sigmaXi: Double, sigmaEta: Double?)

    /// How many parents the crossover combines.
    public var parentCount: Int {
        switch self {
        case .spx, .undx: return 3
        default: return 2
        }
    }

    /// The child of `parents` (each a point in the transformed space; `bounds` per coordinate).
    ///
    /// - Parameters:
    ///   - swappingProb: the sampler's `swapping_prob` (used by ``uniform``).
    ///   - multiObjective: picks the default `eta` of SBX and vSBX.
    public func cross(
        _ parents: [[Double]], bounds: [(lower: Double, upper: Double)], swappingProb: Double,
        multiObjective: Bool, using rng: inout SeededGenerator
    ) -> [Double] {
        let n = bounds.count
        switch self {
        case .uniform:
            return (0..<n).map { i in rng.nextUnit() >= swappingProb ? parents[1][i] : parents[0][i] }
        case .blxAlpha(let alpha):
            return (0..<n).map { i in
                let lo = min(parents[0][i], parents[1][i])
                let hi = max(parents[0][i], parents[1][i])
                let d = alpha * (hi - lo)
                return (hi + d - (lo - d)) * rng.nextUnit() + (lo - d)
            }
        case .sbx(let eta, let ucp, let ugp):
            let e = eta ?? (multiObjective ? 20 : 2)
            return NSGACrossover.sbx(
                parents, bounds: bounds, eta: e, uniformCrossoverProb: ucp,
                useChildGeneProb: ugp, using: &rng)
        case .vsbx(let eta, let ucp, let ugp):
            let e = eta ?? (multiObjective ? 20 : 2)
            return NSGACrossover.vsbx(
                parents, eta: e, uniformCrossoverProb: ucp, useChildGeneProb: ugp,
                using: &rng)
        case .spx(let epsilon):
            return NSGACrossover.spx(parents, epsilon: epsilon ?? Double(n + 2).squareRoot(), using: &rng)
        case .undx(let sigmaXi, let sigmaEta):
            return NSGACrossover.undx(
                parents, sigmaXi: sigmaXi, sigmaEta: sigmaEta ?? 0.35 / Double(n).squareRoot(), using: &rng)
        }
    }

    /// SBX with Deb's bounded spread factors (Optuna's `SBXCrossover`).
    static func sbx(
        _ parents: [[Double]], bounds: [(lower: Double, upper: Double)], eta: Double,
        uniformCrossoverProb: Double, useChildGeneProb: Double, using rng: inout SeededGenerator
    ) -> [Double] {
        let n = bounds.count
        var c1 = [Double](repeating: 0, count: n)
        var c2 = [Double](repeating: 0, count: n)
        let exponent = 1 / (eta + 1)
        for i in 0..<n {
            let lo = min(parents[0][i], parents[1][i])
            let hi = max(parents[0][i], parents[1][i])
            let diff = max(hi - lo, 1e-10)
            let beta1 = 1 + 2 * (lo - bounds[i].lower) / diff
            let beta2 = 1 + 2 * (bounds[i].upper - hi) / diff
            let alpha1 = 2 - CoreMath.pow(beta1, -(eta + 1))
            let alpha2 = 2 - CoreMath.pow(beta2, -(eta + 1))
            let u = rng.nextUnit()
            let q1 = u > 1 / alpha1 ? CoreMath.pow(1 / (2 - u * alpha1), exponent) : CoreMath.pow(u * alpha1, exponent)
            let q2 = u > 1 / alpha2 ? CoreMath.pow(1 / (2 - u * alpha2), exponent) : CoreMath.pow(u * alpha2, exponent)
            c1[i] = 0.5 * ((lo + hi) - q1 * diff)
            c2[i] = 0.5 * ((lo + hi) + q2 * diff)
        }
        return pickChild(
            c1, c2, parents, uniformCrossoverProb: uniformCrossoverProb,
            useChildGeneProb: useChildGeneProb, using: &rng)
    }

    /// vSBX (Optuna's `VSBXCrossover`).
    static func vsbx(
        _ parents: [[Double]], eta: Double, uniformCrossoverProb: Double, useChildGeneProb: Double,
        using rng: inout SeededGenerator
    ) -> [Double] {
        let n = parents[0].count
        let exponent = 1 / (eta + 1)
        let us = (0..<n).map { _ in rng.nextUnit() }
        let beta1 = us.map { CoreMath.pow(1 / max(2 * $0, 1e-10), exponent) }
        let beta2 = us.map { CoreMath.pow(1 / max(2 * (1 - $0), 1e-10), exponent) }
        let (x1, x2) = (parents[0], parents[1])
        var c1 = [Double](repeating: 0, count: n)
        var c2 = [Double](repeating: 0, count: n)
        let firstLow = rng.nextUnit() <= 0.5
        for i in 0..<n {
            let (b1, b2) = (beta1[i], beta2[i])
            c1[i] = firstLow ? 0.5 * ((1 + b1) * x1[i] + (1 - b2) * x2[i]) : 0.5 * ((1 - b1) * x1[i] + (1 + b2) * x2[i])
        }
        let secondLow = rng.nextUnit() <= 0.5
        for i in 0..<n {
            let (b1, b2) = (beta1[i], beta2[i])
            c2[i] =
                secondLow ? 0.5 * ((3 - b1) * x1[i] - (1 - b2) * x2[i]) : 0.5 * (-(1 - b1) * x1[i] + (3 - b2) * x2[i])
        }
        return pickChild(
            c1, c2, parents, uniformCrossoverProb: uniformCrossoverProb,
            useChildGeneProb: useChildGeneProb, using: &rng)
    }

    /// Builds two children gene by gene (offspring genes with probability `useChildGeneProb`, else the
    /// parents', swapped with probability `uniformCrossoverProb`) and returns one of them at random.
    static func pickChild(
        _ c1: [Double], _ c2: [Double], _ parents: [[Double]], uniformCrossoverProb: Double,
        useChildGeneProb: Double, using rng: inout SeededGenerator
    ) -> [Double] {
        var child1: [Double] = []
        var child2: [Double] = []
        for i in c1.indices {
            let (a, b) = rng.nextUnit() < useChildGeneProb ? (c1[i], c2[i]) : (parents[0][i], parents[1][i])
            if rng.nextUnit() >= uniformCrossoverProb {
                child1.append(a)
                child2.append(b)
            } else {
                child1.append(b)
                child2.append(a)
            }
        }
        return rng.nextUnit() < 0.5 ? child1 : child2
    }

    /// SPX: a uniform point of the parents' simplex expanded by `epsilon` around its centroid.
    static func spx(_ parents: [[Double]], epsilon: Double, using rng: inout SeededGenerator) -> [Double] {
        let k = parents.count
        let n = parents[0].count
        let g = (0..<n).map { i in parents.reduce(0) { $0 + $1[i] } / Double(k) }
        let rs = (0..<(k - 1)).map { j in CoreMath.pow(rng.nextUnit(), 1 / Double(j + 1)) }
        let xs = parents.map { p in (0..<n).map { g[$0] + epsilon * (p[$0] - g[$0]) } }
        var c = [Double](repeating: 0, count: n)
        for j in 1..<k {
            for i in 0..<n { c[i] = rs[j - 1] * (xs[j - 1][i] - xs[j][i] + c[i]) }
        }
        return (0..<n).map { xs[k - 1][$0] + c[$0] }
    }

    /// UNDX: a normal sample around the first two parents' midpoint, stretched along the line through
    /// them and, across it, by the third parent's distance from that line.
    ///
    /// As in Optuna, `sigmaXi` and `sigmaEta` are squared before use as standard deviations.
    static func undx(_ parents: [[Double]], sigmaXi: Double, sigmaEta: Double, using rng: inout SeededGenerator)
        -> [Double]
    {
        let n = parents[0].count
        let (x1, x2, x3) = (parents[0], parents[1], parents[2])
        let xp = (0..<n).map { (x1[$0] + x2[$0]) / 2 }
        let d = (0..<n).map { x1[$0] - x2[$0] }
        let etas = (0..<n).map { _ in rng.normal() * sigmaEta * sigmaEta }
        let xi = rng.normal() * sigmaXi * sigmaXi
        var child = (0..<n).map { xp[$0] + xi * d[$0] }
        guard n > 1 else { return child }
        let v12 = (0..<n).map { x2[$0] - x1[$0] }
        let norm12 = max(VectorMath.norm(v12), 1e-10)
        let e12 = v12.map { $0 / norm12 }
        let v13 = (0..<n).map { x3[$0] - x1[$0] }
        let along = VectorMath.dot(v13, e12)
        let distance = VectorMath.norm((0..<n).map { v13[$0] - along * e12[$0] })
        let basis = VectorMath.orthonormalComplement(of: e12)
        for (k, e) in basis.enumerated() {
            for i in 0..<n { child[i] += distance * etas[k] * e[i] }
        }
        return child
    }
}
