import OptunaCore
import OptunaProtocol

extension Dispatcher {
    /// The decoded parameters of a request that ``flatAnswer(to:)`` answers.
    enum FlatCall {
        case tell(TellArguments)
        case report(ReportArguments)
        case shouldPrune(trialID: Int64)
    }

    /// Answers a `tell`, `report` or `should_prune` request without building its JSON objects, when its line
    /// is a flat object (``JSONParser/parseFlatObject(_:nested:)``) holding exactly the kinds of values a client
    /// sends in a loop: an id, `"jsonrpc": "2.0"`, the method, and parameters that are all known and of the
    /// expected type (numbers for values, an integer `trial_id`, a `state` name, a Boolean `skip_if_finished`).
    ///
    /// - Returns: nil when the line is anything else (a notification, a repeated name, a string for a number,
    ///   `values` lists, an unknown parameter, any error): nil changes nothing, and the line then takes the
    ///   general path, which answers it as it always has. So a request answered here gets the answer the
    ///   general path would give. Otherwise the response line, or `.some(nil)` when it went already
    ///   (``EarlyAnswer``).
    func flatAnswer(to line: [UInt8]) async -> [UInt8]?? {
        guard Self.mayNameFlatMethod(line), let flat = JSONParser.parseFlatObject(line, nested: "params"),
            FlatObject.namesAreUnique(flat.members, within: Self.requestMembers),
            case .some(.some(let id)) = flat.member("id"),
            case .some(.some(.string(let method))) = flat.member("method"),
            let params = flat.nested,
            let call = Self.flatCall(method, params)
        else { return nil }
        switch id {
        case .string, .int, .double, .null: break
        default: return nil
        }
        if case .some(.some(let version)) = flat.member("jsonrpc"), version != .string("2.0") { return nil }
        let request = RPCRequest(id: id, method: method)
        switch call {
        case .tell(let arguments):
            return .some(await textLine(request, id: id) { d, _ in try await d.tell(arguments) })
        case .report(let arguments):
            return .some(Self.responseLine(id: id, await run(request) { try await report(arguments) }))
        case .shouldPrune(let trialID):
            return .some(Self.responseLine(id: id, await run(request) { try await shouldPrune(trialID: trialID) }))
        }
    }

    /// The methods ``flatAnswer(to:)`` answers, quoted as they appear in a request line.
    static let quotedFlatMethods: [[UInt8]] = [#""tell""#, #""report""#, #""should_prune""#].map { Array($0.utf8) }

    /// Whether `line` holds the quoted name of a method ``flatAnswer(to:)`` answers: a byte search, so that other
    /// requests (`heartbeat`, `get_trial`, …) are not read twice. A match elsewhere in the line only costs the
    /// flat reading.
    static func mayNameFlatMethod(_ line: [UInt8]) -> Bool {
        line.withUnsafeBufferPointer { bytes in
            // Each quote may open one of the names: compare the bytes from there.
            var i = 0
            while let quote = bytes[i...].firstIndex(of: UInt8(ascii: "\"")) {
                for name in quotedFlatMethods where quote + name.count <= bytes.count {
                    if name.indices.allSatisfy({ bytes[quote + $0] == name[$0] }) { return true }
                }
                i = quote + 1
            }
            return false
        }
    }

    /// The members of a request object.
    static let requestMembers = ["id", "jsonrpc", "method", "params"]

    /// The parameters of a `tell` answered by ``flatAnswer(to:)`` (the others take lists).
    static let flatTellParameters = ["trial_id", "value", "state", "skip_if_finished"]

    /// The call of `method` with `params`, when they are all of the expected kinds (see ``flatAnswer(to:)``).
    static func flatCall(_ method: String, _ params: [(name: String, value: JSONValue)]) -> FlatCall? {
        func value(_ name: String) -> JSONValue? { params.first { $0.name == name }?.value }
        func number(_ name: String) -> Double? {
            switch value(name) {
            case .int(let i)?: Double(i)
            case .double(let d)?: d
            default: nil
            }
        }
        guard case .int(let trialID)? = value("trial_id") else { return nil }
        switch method {
        case "tell":
            guard FlatObject.namesAreUnique(params, within: flatTellParameters)
            else { return nil }
            var values: [Double]?
            if value("value") != nil {
                guard let v = number("value") else { return nil }
                values = [v]
            }
            var state: TrialState?
            if let s = value("state") {
                guard case .string(let name) = s, let parsed = TrialState(name: name) else { return nil }
                state = parsed
            }
            var skip = false
            if let b = value("skip_if_finished") {
                guard case .bool(let flag) = b else { return nil }
                skip = flag
            }
            return .tell(TellArguments(
                trialID: trialID, values: values, state: state, constraints: nil, skipIfFinished: skip))
        case "report":
            guard FlatObject.namesAreUnique(params, within: reportParameters),
                case .int(let step64)? = value("step"), let step = Int(exactly: step64), step >= 0,
                let v = number("value")
            else { return nil }
            return .report(ReportArguments(trialID: trialID, step: step, value: v))
        case "should_prune":
            guard FlatObject.namesAreUnique(params, within: shouldPruneParameters) else { return nil }
            return .shouldPrune(trialID: trialID)
        default:
            return nil
        }
    }

    /// The response line for a method's outcome.
    static func responseLine(id: JSONValue, _ result: Result<JSONValue, RPCError>) -> [UInt8] {
        switch result {
        case .success(let value): RPCResponse.line(RPCResponse.success(id: id, result: value))
        case .failure(let error): RPCResponse.line(RPCResponse.failure(id: id, error: error))
        }
    }
}
