/// The complete state of one CMA-ES run in the unit cube, as the `cmaes` package keeps it (`CMA`,
/// `SepCMA` or `CMAwM`), plus the restart bookkeeping of Optuna's former IPOP/BIPOP strategies.
///
/// It is stored as JSON in the system attributes of the trial that started its generation, so a
/// generation's trials, and a restarted daemon, continue from it exactly.
struct CMAState: Sendable, Equatable {
    /// Which algorithm the state belongs to; the raw value is Optuna's attribute prefix.
    enum Variant: String, Sendable {
        case full = "cma"
        case separable = "sepcma"
        case margin = "cmawm"
    }

    var variant: Variant
    /// Parameter names, one per dimension, sorted.
    var names: [String]
    var popsize: Int
    /// Updates so far (the `cmaes` generation).
    var generation = 0
    var mean: [Double]
    var sigma: Double
    /// Covariance: row-major `n x n` (full, margin) or its diagonal (separable).
    var c: [Double]
    /// Eigenvectors of ``c`` as columns, row-major (full, margin); empty when separable.
    var b: [Double]
    /// Square roots of the eigenvalues of ``c`` (of its diagonal when separable).
    var d: [Double]
    var pSigma: [Double]
    var pc: [Double]
    /// Best and worst value of each recent generation (for the stopping rule).
    var funhist: [Double]
    var tolx: Double
    var lrAdapt = false
    var eMean: [Double] = []
    var eSigma: [Double] = []
    var vMean = 0.0
    var vSigma = 0.0
    var etaMean = 1.0
    var etaSigma = 1.0
    /// Margin variant: grid step of each dimension in the unit cube (0 for continuous ones).
    var steps: [Double] = []
    /// Margin variant: the per-dimension scaling of the discrete coordinates.
    var a: [Double] = []
    var restarts = 0
    var restartsWithLarge = 0
    var poptypeLarge = false
    var smallEvaluations = 0
    var largeEvaluations = 0

    var n: Int { mean.count }

    /// The learning rates and weights of this run.
    var parameters: CMAParameters { CMAParameters(n: n, popsize: popsize, separable: variant == .separable) }

    /// A fresh run (generation 0) around `mean` with step size `sigma`.
    init(
        variant: Variant, names: [String], mean: [Double], sigma: Double, popsize: Int, lrAdapt: Bool,
        steps: [Double]
    ) {
        self.variant = variant
        self.names = names
        self.popsize = popsize
        self.mean = mean
        self.sigma = sigma
        let n = mean.count
        pSigma = [Double](repeating: 0, count: n)
        pc = [Double](repeating: 0, count: n)
        tolx = 1e-12 * sigma
        funhist = [Double](
            repeating: 0, count: 2 * CMAParameters(n: n, popsize: popsize, separable: variant == .separable).funhistTerm
        )
        if variant == .separable {
            c = [Double](repeating: 1, count: n)
            b = []
            d = [Double](repeating: 1, count: n)
        } else {
            c = [Double](repeating: 0, count: n * n)
            for i in 0..<n { c[i * n + i] = 1 }
            b = c
            d = [Double](repeating: 1, count: n)
        }
        self.lrAdapt = lrAdapt && variant == .full
        if self.lrAdapt {
            eMean = [Double](repeating: 0, count: n)
            eSigma = [Double](repeating: 0, count: n * n)
        }
        if variant == .margin {
            self.steps = steps
            a = [Double](repeating: 1, count: n)
        }
    }

    /// Recomputes ``b`` and ``d`` from ``c`` and rebuilds ``c`` from them, as `cmaes` does before sampling
    /// (negative eigenvalues become `1e-8`).
    mutating func refreshEigen() {
        let n = self.n
        if variant == .separable {
            d = c.map { ($0 < 0 ? 1e-8 : $0).squareRoot() }
            return
        }
        var sym = c
        for i in 0..<n { for j in 0..<n { sym[i * n + j] = (c[i * n + j] + c[j * n + i]) / 2 } }
        let (values, vectors) = SymmetricEigen.decompose(sym, n: n)
        d = values.map { ($0 < 0 ? 1e-8 : $0).squareRoot() }
        b = vectors
        for i in 0..<n {
            for j in 0..<n {
                var s = 0.0
                for k in 0..<n { s += vectors[i * n + k] * d[k] * d[k] * vectors[j * n + k] }
                c[i * n + j] = s
            }
        }
    }
}
