import OptunaCore
import OptunaProtocol
import Testing

@Suite struct RPCRequestTests {
    @Test func jsonrpcAndParamsMayBeOmitted() throws {
        let r = try RPCRequest.parse(["id": 7, "method": "hello"]).get()
        #expect(r.id == .int(7) && r.method == "hello" && r.params.isEmpty && !r.isNotification)
    }

    @Test func aRequestWithoutIDIsANotification() throws {
        let r = try RPCRequest.parse(["method": "ask", "params": ["study_name": "s"]]).get()
        #expect(r.isNotification)
        let nullID = try RPCRequest.parse(["id": nil, "method": "ask"]).get()
        #expect(nullID.id == .null && !nullID.isNotification)
    }

    @Test(arguments: [
        (JSONValue.array([]), ErrorKind.invalidRequest, JSONValue.null),
        (JSONValue.object(["id": 1]), .invalidRequest, .int(1)),
        (JSONValue.object(["id": 1, "method": 3]), .invalidRequest, .int(1)),
        (JSONValue.object(["id": [1], "method": "x"]), .invalidRequest, .null),
        (JSONValue.object(["id": "a", "jsonrpc": "1.0", "method": "x"]), .invalidRequest, .string("a")),
        (JSONValue.object(["id": 2, "method": "x", "params": [1, 2]]), .invalidParams, .int(2)),
    ])
    func malformedRequestsAreRefusedWithTheirID(_ json: JSONValue, _ kind: ErrorKind, _ id: JSONValue) {
        switch RPCRequest.parse(json) {
        case .success: Issue.record("accepted \(json)")
        case .failure(let f):
            #expect(f.error.kind == kind)
            #expect(f.id == id)
        }
    }

    @Test func errorObjectsCarryCodeMessageAndKind() throws {
        let e = RPCError(.studyNotFound, "study 'foo' not found")
        #expect(JSONWriter.string(e.json) == #"{"code":-32001,"data":{"kind":"study_not_found"},"message":"study 'foo' not found"}"#)
        let back = try #require(RPCError(json: e.json))
        #expect(back == e)
        let unknown = try #require(RPCError(json: ["code": -32050, "message": "m", "data": ["kind": "future_kind"]]))
        #expect(unknown.kind.rawValue == "future_kind" && unknown.code == -32050)
    }

    @Test func everyDefinedKindHasAUniqueCode() {
        let codes = ErrorKind.allDefined.map(\.code)
        #expect(Set(codes).count == codes.count)
        #expect(ErrorKind.allDefined.allSatisfy { $0.code != -32000 })
    }

    @Test(arguments: [
        (JSONValue.string("NaN"), true), (.string("Infinity"), false), (.string("-Infinity"), false), (.double(.nan), true),
    ])
    func nonFiniteNumbersAreAcceptedInBothSpellings(_ v: JSONValue, _ isNaN: Bool) throws {
        let d = try ParamReader.number(v, "value")
        #expect(d.isNaN == isNaN)
        #expect(isNaN || d.isInfinite)
    }

    @Test func responseLinesEndWithNewlineAndUseStrings() {
        let line = RPCResponse.line(RPCResponse.success(id: 1, result: ["v": .double(.infinity)]))
        #expect(String(decoding: line, as: UTF8.self) == "{\"id\":1,\"jsonrpc\":\"2.0\",\"result\":{\"v\":\"Infinity\"}}\n")
    }

    @Test func defaultPathsFollowTheDocumentedOrder() {
        #expect(DefaultPaths.socket(environment: ["OPTUNAD_SOCKET": "/x.sock", "RUNTIME_DIRECTORY": "/r"], uid: 1000) == "/x.sock")
        #expect(DefaultPaths.socket(environment: ["RUNTIME_DIRECTORY": "/run/optunad"], uid: 0) == "/run/optunad/optunad.sock")
        #expect(DefaultPaths.socket(environment: [:], uid: 0) == "/run/optunad/optunad.sock")
        #expect(DefaultPaths.socket(environment: ["XDG_RUNTIME_DIR": "/run/user/1000"], uid: 1000) == "/run/user/1000/optunad/optunad.sock")
        #expect(DefaultPaths.storage(environment: ["STATE_DIRECTORY": "/var/lib/optunad"], uid: 0) == "sqlite:////var/lib/optunad/optunad.db")
        #expect(DefaultPaths.storage(environment: [:], uid: 0) == "sqlite:////var/lib/optunad/optunad.db")
        #expect(DefaultPaths.storage(environment: ["HOME": "/home/u"], uid: 1000) == "sqlite:////home/u/.local/state/optunad/optunad.db")
    }
}
