// Compiled into one module with OptunaCore's sources by fuzz/run.sh, so there is no `import OptunaCore`.

/// libFuzzer's entry point: every input is one request line as a client could send it.
///
/// It must never trap: the parser refuses what is not JSON, and what is JSON goes through the decoders a request
/// reaches (distributions, sampler and pruner specs, parameter values), each of which must answer with an error.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let value = try? JSONParser.parse(bytes) else { return 0 }
    // What was read can be written and read again.
    let text = JSONWriter.string(value, nonFinite: .pythonTokens)
    if (try? JSONParser.parse(text)) == nil { fatalError("written JSON does not parse: \(text)") }
    if let d = try? Distribution(json: value) {
        _ = d.optunaJSONString
        _ = d.wireJSON
        for probe in [JSONValue.int(0), .double(0.5), .string("a"), .null, value] {
            if let v = try? d.internalValue(of: probe, name: "p") { _ = d.externalValue(v) }
        }
    }
    if let spec = try? SamplerCatalog.shared.normalize(value) { _ = try? SamplerCatalog.shared.make(spec) }
    if let spec = try? PrunerCatalog.shared.normalize(value) { _ = try? PrunerCatalog.shared.make(spec) }
    if let params = value["params"]?.objectValue {
        for (_, v) in params { _ = try? Distribution(json: v) }
    }
    _ = Timestamp.parse(value.stringValue ?? "")
    return 0
}
