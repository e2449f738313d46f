import Testing

@testable import OptunaCore

/// CMA-ES updates against the `cmaes` package 0.13.1 (Optuna 5's backend), computed with NumPy from the
/// same solutions: `X1`, `X2` and `X7` are `RandomState(0).rand` draws, losses the sphere around 0.3.
@Suite struct CMAESUpdateTests {
    static let x1: [Double] = [
        0.5488135039273248, 0.7151893663724195, 0.6027633760716439, 0.5448831829968969, 0.4236547993389047,
        0.6458941130666561, 0.4375872112626925, 0.8917730007820798, 0.9636627605010293, 0.3834415188257777,
        0.7917250380826646, 0.5288949197529045, 0.5680445610939323, 0.925596638292661, 0.07103605819788694,
        0.08712929970154071, 0.02021839744032572, 0.832619845547938,
    ]
    static let x2: [Double] = [
        0.7781567509498505, 0.8700121482468192, 0.978618342232764, 0.7991585642167236, 0.46147936225293185,
        0.7805291762864555, 0.11827442586893322, 0.6399210213275238, 0.1433532874090464, 0.9446689170495839,
        0.5218483217500717, 0.4146619399905236, 0.26455561210462697, 0.7742336894342167, 0.45615033221654855,
        0.5684339488686485, 0.018789800436355142, 0.6176354970758771,
    ]

    static func solutions(_ flat: [Double], dims: Int) -> [(x: [Double], loss: Double)] {
        stride(from: 0, to: flat.count, by: dims).map { i in
            let x = Array(flat[i..<(i + dims)])
            return (x, x.reduce(0) { $0 + ($1 - 0.3) * ($1 - 0.3) })
        }
    }

    static func expectClose(
        _ a: [Double], _ b: [Double], _ tolerance: Double = 1e-12, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(a.count == b.count, sourceLocation: sourceLocation)
        for (x, y) in zip(a, b) {
            #expect(abs(x - y) <= tolerance * max(1, abs(y)), "\(a) vs \(b)", sourceLocation: sourceLocation)
        }
    }

    static func fresh(_ variant: CMAState.Variant, n: Int, popsize: Int, lrAdapt: Bool = false, steps: [Double] = [])
        -> CMAState
    {
        CMAState(
            variant: variant, names: (0..<n).map { "p\($0)" }, mean: Array(repeating: 0.5, count: n), sigma: 1.0 / 6,
            popsize: popsize, lrAdapt: lrAdapt, steps: steps)
    }

    @Test func fullParametersMatchCmaes() {
        let p = CMAParameters(n: 3, popsize: 6, separable: false)
        Self.expectClose(
            p.weights,
            [
                0.6370425712412168, 0.28457025743803294, 0.07838717132075033, -0.28638378259655295, -0.7649580940851276,
                -1.1559817781589212,
            ])
        Self.expectClose(
            [p.muEff, p.c1, p.cmu, p.cc, p.cSigma, p.dSigma, p.chiN],
            [
                2.0286114646100617, 0.09747248265066792, 0.038593139193450914, 0.5598629786005055, 0.40171179019414777,
                1.4017117901941478, 1.5968775302586076,
            ])
        #expect(p.funhistTerm == 25)
    }

    @Test func separableParametersMatchCmaes() {
        let p = CMAParameters(n: 3, popsize: 7, separable: true)
        Self.expectClose(p.weights, [0.5856451065097651, 0.29282255325488254, 0.12153234023535246])
        Self.expectClose(
            [p.muEff, p.c1, p.cmu, p.cc, p.cSigma, p.dSigma],
            [
                2.2548150822016044, 0.09640963257927214, 0.19530454973098976, 0.5714285714285714, 0.5154343301251543,
                1.5154343301251543,
            ])
    }

    @Test func twoFullUpdatesMatchCmaes() {
        var s = Self.fresh(.full, n: 3, popsize: 6)
        s.tell(Self.solutions(Self.x1, dims: 3))
        s.tell(Self.solutions(Self.x2, dims: 3))
        #expect(s.generation == 2)
        Self.expectClose(s.mean, [0.1951884323454114, 0.6294536924431716, 0.2695436637993111])
        Self.expectClose([s.sigma], [0.20246905340914215])
        Self.expectClose(
            s.c,
            [
                1.0515311317090899, -0.11462463557829987, 0.19363010739185058, -0.11462463557829979, 0.9525480690906692,
                -0.07998168737627516, 0.19363010739185055, -0.07998168737627523, 1.1350928123883322,
            ])
        Self.expectClose(s.pSigma, [-2.4107868309427647, 0.8509979292161775, -2.319364919871151])
        Self.expectClose(s.pc, [-0.002533807376775723, 0.17308863891388035, 0.3688743670579259])
        Self.expectClose(s.d, [0.9290625772564836, 0.9682524097894744, 1.1569364769366162])
    }

    @Test func learningRateAdaptationMatchesCmaes() {
        var s = Self.fresh(.full, n: 3, popsize: 6, lrAdapt: true)
        s.tell(Self.solutions(Self.x1, dims: 3))
        s.tell(Self.solutions(Self.x2, dims: 3))
        Self.expectClose(s.mean, [0.24664274674217762, 0.6154270870437223, 0.3253161877110294])
        Self.expectClose([s.sigma], [0.22506886952970018])
        Self.expectClose(
            s.c,
            [
                1.0186932663072845, -0.1010374972912572, 0.1413520382737165, -0.10103749729125718, 0.9448773389627114,
                -0.06779532650168547, 0.1413520382737165, -0.06779532650168549, 1.0727614801922587,
            ], 1e-10)
        Self.expectClose(s.pSigma, [-2.180460401414409, 0.8230493351025627, -1.9760399023044035])
    }

    @Test func separableUpdateMatchesCmaes() {
        let x7: [Double] = [
            0.6120957227224214, 0.6169339968747569, 0.9437480785146242, 0.6818202991034834, 0.359507900573786,
            0.43703195379934145, 0.6976311959272649, 0.06022547162926983, 0.6667667154456677, 0.6706378696181594,
            0.2103825610738409, 0.1289262976548533, 0.31542835092418386, 0.3637107709426226, 0.5701967704178796,
            0.43860151346232035, 0.9883738380592262, 0.10204481074802807, 0.2088767560948347, 0.16130951788499626,
            0.6531083254653984,
        ]
        var s = Self.fresh(.separable, n: 3, popsize: 7)
        s.tell(Self.solutions(x7, dims: 3))
        Self.expectClose(s.mean, [0.32875611177849434, 0.3039323345686703, 0.5782913118605644])
        Self.expectClose([s.sigma], [0.18720286454380353])
        Self.expectClose(s.c, [1.238638699120693, 1.2833958927499998, 0.8193856174133434])
        Self.expectClose(s.pSigma, [-1.3496096454221527, -1.5452511337469996, 0.6170305447812283])
        Self.expectClose(s.pc, [-1.3939710417130369, -1.5960432262202622, 0.6373122140872137])
    }

    @Test func marginUpdateMatchesCmaes() {
        let x6: [Double] = [
            0.2532916025397821, 0.4663107728563063, 0.24442559200160274, 0.15896958364551972, 0.11037514116430513,
            0.6563295894652734, 0.1381829513486138, 0.1965823616800535, 0.3687251706609641, 0.8209932298479351,
            0.09710127579306127, 0.8379449074988039,
        ]
        var s = Self.fresh(.margin, n: 2, popsize: 6, steps: [0, 0.25])
        s.tell(Self.solutions(x6, dims: 2))
        Self.expectClose(s.mean, [0.238620534828466, 0.24937810425618676])
        Self.expectClose([s.sigma], [0.23074200268122197])
        Self.expectClose(s.a, [1.0, 1.0000000000000002])
        Self.expectClose(s.c, [1.0724043145919124, 0.24683377760017614, 0.24683377760017614, 1.0823820069376469])
    }

    @Test func discreteCoordinatesSnapToTheGridPreferringTheLowerValue() {
        let grid = CMAGrid(step: 0.25)
        #expect(grid.size == 5)
        #expect(grid.value(grid.index(of: 0.1)) == 0)
        #expect(grid.value(grid.index(of: 0.374)) == 0.25)
        #expect(grid.value(grid.index(of: 0.375)) == 0.25)
        #expect(grid.value(grid.index(of: 0.3751)) == 0.5)
        #expect(grid.value(grid.index(of: 7)) == 1)
    }

    @Test func statisticsMatchCmaes() {
        Self.expectClose([CMAState.chi2PPF(0.5), CMAState.chi2PPF(0.95)], [0.4549364231195727, 3.8414588206941245])
        Self.expectClose(
            [CMAState.normalCDF(-1.3), CMAState.normalCDF(0.2)], [0.09680048458561034, 0.579259709439103])
    }

    @Test func eigendecompositionRebuildsTheMatrix() {
        let a: [Double] = [4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2]
        let (values, vectors) = SymmetricEigen.decompose(a, n: 3)
        #expect(values == values.sorted())
        for i in 0..<3 {
            for j in 0..<3 {
                let rebuilt = (0..<3).reduce(0.0) { $0 + vectors[i * 3 + $1] * values[$1] * vectors[j * 3 + $1] }
                #expect(abs(rebuilt - a[i * 3 + j]) < 1e-12)
            }
        }
    }

    @Test func theStateRoundTripsThroughJSON() {
        var s = Self.fresh(.full, n: 3, popsize: 6, lrAdapt: true)
        s.tell(Self.solutions(Self.x1, dims: 3))
        s.restarts = 2
        #expect(CMAState(json: s.json) == s)
        var m = Self.fresh(.margin, n: 2, popsize: 6, steps: [0, 0.25])
        m.tell(Self.solutions(Array(Self.x1[..<12]), dims: 2))
        #expect(CMAState(json: m.json) == m)
        #expect(CMAState(json: ["variant": "cma"]) == nil)
    }
}
