/// The constants of one CMA-ES run, derived from the dimension and population size as the `cmaes`
/// package (Optuna's CMA-ES backend) derives them: recombination weights (with negative weights for the
/// full-covariance variant), learning rates and damping.
struct CMAParameters: Sendable {
    let n: Int
    let popsize: Int
    let mu: Int
    let weights: [Double]
    let muEff: Double
    let cc: Double
    let c1: Double
    let cmu: Double
    let cSigma: Double
    let dSigma: Double
    let chiN: Double
    let funhistTerm: Int

    /// The constants of full-covariance CMA-ES (`separable == false`) or sep-CMA-ES.
    init(n: Int, popsize: Int, separable: Bool) {
        self.n = n
        self.popsize = popsize
        let dn = Double(n)
        let mu = popsize / 2
        self.mu = mu
        let alphaCov = 2.0
        if separable {
            let prime = (0..<mu).map { CoreMath.log(Double(mu + 1)) - CoreMath.log(Double($0 + 1)) }
            let total = prime.reduce(0, +)
            weights = prime.map { $0 / total }
            muEff = 1 / weights.reduce(0) { $0 + $1 * $1 }
            c1 = alphaCov / ((dn + 1.3) * (dn + 1.3) + muEff)
            let cmuFull =
                2 / muEff / ((dn + 2.0.squareRoot()) * (dn + 2.0.squareRoot()))
                + (1 - 1 / muEff) * min(1, (2 * muEff - 1) / ((dn + 2) * (dn + 2) + muEff))
            cmu = (dn + 2) / 3 * cmuFull
            cSigma = (muEff + 2) / (dn + muEff + 3)
            cc = 4 / (dn + 4)
        } else {
            let prime = (0..<popsize).map { CoreMath.log(Double(popsize + 1) / 2) - CoreMath.log(Double($0 + 1)) }
            let positive = Array(prime[..<mu])
            let negative = Array(prime[mu...])
            muEff = Self.squareOfSum(positive) / positive.reduce(0) { $0 + $1 * $1 }
            let muEffMinus = Self.squareOfSum(negative) / negative.reduce(0) { $0 + $1 * $1 }
            c1 = alphaCov / ((dn + 1.3) * (dn + 1.3) + muEff)
            cmu = min(
                1 - c1 - 1e-8,
                alphaCov * (muEff - 2 + 1 / muEff) / ((dn + 2) * (dn + 2) + alphaCov * muEff / 2))
            let minAlpha = min(1 + c1 / cmu, 1 + (2 * muEffMinus) / (muEff + 2), (1 - c1 - cmu) / (dn * cmu))
            let positiveSum = prime.filter { $0 > 0 }.reduce(0, +)
            let negativeSum = prime.filter { $0 < 0 }.reduce(0) { $0 + abs($1) }
            weights = prime.map { $0 >= 0 ? $0 / positiveSum : minAlpha / negativeSum * $0 }
            cSigma = (muEff + 2) / (dn + muEff + 5)
            cc = (4 + muEff / dn) / (dn + 4 + 2 * muEff / dn)
        }
        dSigma = 1 + 2 * max(0, ((muEff - 1) / (dn + 1)).squareRoot() - 1) + cSigma
        chiN = dn.squareRoot() * (1 - 1 / (4 * dn) + 1 / (21 * dn * dn))
        funhistTerm = 10 + Int((30 * dn / Double(popsize)).rounded(.up))
    }

    /// The default population size, `4 + floor(3 ln n)`.
    static func defaultPopsize(n: Int) -> Int { 4 + Int((3 * CoreMath.log(Double(max(n, 1)))).rounded(.down)) }

    private static func squareOfSum(_ xs: [Double]) -> Double {
        let s = xs.reduce(0, +)
        return s * s
    }
}
