extension CMAState {
    /// The state as one JSON object (numbers as JSON numbers; non-finite ones as Optuna's strings).
    var json: JSONValue {
        func list(_ xs: [Double]) -> JSONValue { .array(xs.map { .double($0) }) }
        var o: [String: JSONValue] = [
            "variant": .string(variant.rawValue), "names": .array(names.map { .string($0) }),
            "popsize": .int(Int64(popsize)), "generation": .int(Int64(generation)), "mean": list(mean),
            "sigma": .double(sigma), "c": list(c), "b": list(b), "d": list(d), "p_sigma": list(pSigma),
            "pc": list(pc), "funhist": list(funhist), "tolx": .double(tolx),
            "restarts": .int(Int64(restarts)), "restarts_with_large": .int(Int64(restartsWithLarge)),
            "poptype": .string(poptypeLarge ? "large" : "small"), "small_n_eval": .int(Int64(smallEvaluations)),
            "large_n_eval": .int(Int64(largeEvaluations)),
        ]
        if lrAdapt {
            o["lr_adapt"] = .object([
                "e_mean": list(eMean), "e_sigma": list(eSigma), "v_mean": .double(vMean),
                "v_sigma": .double(vSigma), "eta_mean": .double(etaMean), "eta_sigma": .double(etaSigma),
            ])
        }
        if variant == .margin { o["margin"] = .object(["steps": list(steps), "a": list(a)]) }
        return .object(o)
    }

    /// Reads a state written by ``json``; nil when anything is missing or inconsistent.
    init?(json: JSONValue) {
        func list(_ v: JSONValue?) -> [Double]? { v?.arrayValue?.map { $0.doubleValue ?? .nan } }
        guard let variant = json["variant"]?.stringValue.flatMap(Variant.init(rawValue:)),
            let names = json["names"]?.arrayValue?.compactMap(\.stringValue),
            let popsize = json["popsize"]?.intValue, let generation = json["generation"]?.intValue,
            let mean = list(json["mean"]), let sigma = json["sigma"]?.doubleValue, let c = list(json["c"]),
            let b = list(json["b"]), let d = list(json["d"]), let pSigma = list(json["p_sigma"]),
            let pc = list(json["pc"]), let funhist = list(json["funhist"]), let tolx = json["tolx"]?.doubleValue
        else { return nil }
        let n = mean.count
        let square = variant == .separable ? n : n * n
        guard n > 0, names.count == n, popsize >= 2, c.count == square, d.count == n, pSigma.count == n,
            pc.count == n, b.count == (variant == .separable ? 0 : n * n)
        else { return nil }
        self.init(variant: variant, names: names, mean: mean, sigma: sigma, popsize: popsize, lrAdapt: false, steps: [])
        self.generation = generation
        self.c = c
        self.b = b
        self.d = d
        self.pSigma = pSigma
        self.pc = pc
        self.funhist = funhist
        self.tolx = tolx
        restarts = json["restarts"]?.intValue ?? 0
        restartsWithLarge = json["restarts_with_large"]?.intValue ?? 0
        poptypeLarge = json["poptype"]?.stringValue == "large"
        smallEvaluations = json["small_n_eval"]?.intValue ?? 0
        largeEvaluations = json["large_n_eval"]?.intValue ?? 0
        if let lr = json["lr_adapt"] {
            guard let eMean = list(lr["e_mean"]), let eSigma = list(lr["e_sigma"]), eMean.count == n,
                eSigma.count == n * n
            else { return nil }
            lrAdapt = true
            self.eMean = eMean
            self.eSigma = eSigma
            vMean = lr["v_mean"]?.doubleValue ?? 0
            vSigma = lr["v_sigma"]?.doubleValue ?? 0
            etaMean = lr["eta_mean"]?.doubleValue ?? 1
            etaSigma = lr["eta_sigma"]?.doubleValue ?? 1
        }
        if variant == .margin {
            guard let steps = list(json["margin"]?["steps"]), let a = list(json["margin"]?["a"]), steps.count == n,
                a.count == n
            else { return nil }
            self.steps = steps
            self.a = a
        }
    }
}
