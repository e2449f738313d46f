import Foundation
import OptunaCore
import OptunaStorage

/// Values every conformance test draws from: one of each distribution kind and every edge value.
enum StorageFixtures {
    static let float = Distribution.float(try! FloatDistribution(low: -10, high: 10))
    static let logFloat = Distribution.float(try! FloatDistribution(low: 1e-5, high: 1e20, log: true))
    static let steppedFloat = Distribution.float(try! FloatDistribution(low: 0, high: 1, step: 0.25))
    static let int = Distribution.int(try! IntDistribution(low: -3, high: 9, step: 3))
    static let logInt = Distribution.int(try! IntDistribution(low: 1, high: 1024, log: true))
    /// Choices of every type Optuna allows: null, Booleans, integers, floats and strings (unicode too).
    static let categorical = Distribution.categorical(
        try! CategoricalDistribution(choices: [.null, true, false, 1, -2.5, 1e16, "a", "é 😀 \"q\" \\ \n"]))

    /// A fixed instant with microseconds.
    static let start = Date(timeIntervalSince1970: 1_764_390_245.123456)
    static let end = Date(timeIntervalSince1970: 1_764_390_300.000001)

    /// A nested attribute value with every JSON kind, NaN and ±∞ included.
    static let nestedAttr: JSONValue = [
        "list": [1, 2.5, "x", nil, true, ["deep": [.double(.nan), .double(.infinity), .double(-.infinity)]]],
        "unicode": "ünïcödé ✓ 🚀", "empty": [:], "int": .int(Int64.max), "neg": -0.0,
    ]

    /// A RUNNING trial with every kind of field set.
    static func richTemplate() -> FrozenTrial {
        FrozenTrial(
            id: -1, number: -1, state: .running,
            params: ["x": 1.5, "lx": 0.001, "sx": 0.75, "n": 6, "ln": 512, "c": 7, "c0": 0],
            distributions: [
                "x": float, "lx": logFloat, "sx": steppedFloat, "n": int, "ln": logInt, "c": categorical,
                "c0": categorical,
            ],
            intermediateValues: [0: 1.0, 1: .nan, 2: .infinity, 3: -.infinity, 100: -0.5],
            userAttrs: ["nested": nestedAttr, "nan": .double(.nan), "s": "ok"],
            systemAttrs: ["fixed_params": ["x": 1.5], "constraints": [0.5, -1.0]],
            datetimeStart: start)
    }
}
