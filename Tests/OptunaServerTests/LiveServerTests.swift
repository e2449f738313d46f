import Foundation
import OptunaClient
import OptunaCore
import OptunaProtocol
import Testing

/// Tests against the real optunad binary on a temporary socket.
@Suite(.serialized) struct LiveServerTests {
    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let daemon = try LiveDaemon()
        defer { daemon.stop() }
        let c = try daemon.client()
        _ = try c.call("create_study", ["study_name": "p", "sampler": ["type": "random", "seed": 1]])
        var bytes: [UInt8] = []
        // Lists of trials are answered off the event loop (``Dispatcher/bulkMethods``), in between the others.
        for i in 0..<600 {
            let method = i % 3 == 0 ? "ask" : i % 5 == 1 ? "get_trials" : "get_study"
            JSONWriter.write(["id": .int(Int64(i)), "method": .string(method), "params": ["study_name": "p"]], into: &bytes)
            bytes.append(0x0A)
        }
        try c.writeAll(bytes)
        for i in 0..<600 {
            let answer = try JSONParser.parse(try c.readLine())
            #expect(answer["id"] == .int(Int64(i)))
            #expect(answer["result"] != nil)
            if i % 5 == 1, i % 3 != 0 { #expect(answer["result"]?.arrayValue?.count == (i + 2) / 3) }
        }
        #expect(try c.call("get_study", ["study_name": "p"])["n_trials"] == 200)
    }

    @Test func parseErrorsKeepTheConnectionAndOverlongLinesCloseIt() throws {
        let daemon = try LiveDaemon(extraArguments: ["--max-request-bytes", "4096"])
        defer { daemon.stop() }
        let c = try daemon.client()
        try c.writeAll(Array("{nope\n".utf8))
        #expect(try JSONParser.parse(c.readLine())["error"]?["data"]?["kind"] == "parse_error")
        #expect(try c.call("hello")["protocol"] == 1)
        try c.writeAll([UInt8](repeating: 0x20, count: 5000) + [0x0A])
        #expect(try JSONParser.parse(c.readLine())["error"]?["data"]?["kind"] == "request_too_large")
        #expect(throws: ClientError.self) { try c.readLine() }
        // A line that never ends is refused as soon as it passes the limit.
        let d = try daemon.client()
        try d.writeAll([UInt8](repeating: 0x41, count: 9000))
        #expect(try JSONParser.parse(d.readLine())["error"]?["data"]?["kind"] == "request_too_large")
        #expect(try daemon.client().call("hello")["protocol"] == 1)
    }

    @Test func aClientThatDisconnectsMidLineHurtsNoOne() throws {
        let daemon = try LiveDaemon()
        defer { daemon.stop() }
        let other = try daemon.client()
        do {
            let c = try daemon.client()
            try c.writeAll(Array(#"{"id":1,"method":"create_study","params":{"study_na"#.utf8))
        }
        let truncatedUTF8 = try daemon.client()
        try truncatedUTF8.writeAll([0x22, 0xE2, 0x82])
        #expect(try other.call("hello")["server"] == "optunad")
        #expect(try other.call("get_all_studies") == [])
    }

    @Test func sigtermDrainsAndExitsZeroAndRemovesTheSocket() throws {
        let daemon = try LiveDaemon()
        _ = try daemon.client().call("create_study", ["study_name": "t"])
        #expect(daemon.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath))
    }

    @Test func aStaleSocketIsReplacedAndALiveOneRefused() throws {
        let temporary = TestDirectory()
        defer { withExtendedLifetime(temporary) {} }
        let dir = temporary.path
        // A socket file nobody listens on, as a killed daemon leaves it.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let path = dir + "/d.sock"
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in path.utf8.enumerated() { raw[i] = b }
        }
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(fd)
        #expect(FileManager.default.fileExists(atPath: path))
        let first = try LiveDaemon(directory: dir)
        defer { first.stop() }
        #expect(try first.client().call("hello")["protocol"] == 1)
        let second = try LiveDaemon(directory: dir, wait: false)
        second.process.waitUntilExit()
        #expect(second.process.terminationStatus != 0)
        #expect(second.stderrText().contains("already listening"))
        #expect(try first.client().call("hello")["protocol"] == 1)
    }

    @Test func aRestartedDaemonContinuesTheSameSampleStream() throws {
        let space: JSONValue = ["x": ["type": "float", "low": 0, "high": 1], "c": ["type": "categorical", "choices": [1, "a", nil]]]
        func run(_ db: String, restartAfter: Int?) throws -> [JSONValue] {
            var daemon = try LiveDaemon(storage: "sqlite:///" + db)
            _ = try daemon.client().call("create_study", ["study_name": "r", "sampler": ["type": "random", "seed": 11]])
            var out: [JSONValue] = []
            for i in 0..<6 {
                if i == restartAfter {
                    #expect(daemon.stop() == 0)
                    daemon = try LiveDaemon(storage: "sqlite:///" + db, sharing: daemon)
                }
                let c = try daemon.client()
                let r = try c.call("ask", ["study_name": "r", "search_space": space])
                out.append(r["params"] ?? .null)
                _ = try c.call("tell", ["trial_id": r["trial_id"] ?? .null, "value": .double(Double(i))])
            }
            daemon.stop()
            return out
        }
        let databases = TestDirectory()
        let a = try run(databases.path + "/a.db", restartAfter: nil)
        let b = try run(databases.path + "/b.db", restartAfter: 3)
        #expect(a == b)
    }

    @Test func optunactlExitCodes() throws {
        let daemon = try LiveDaemon()
        defer { daemon.stop() }
        let ctl = LiveDaemon.binary("optunactl")
        let env = ["OPTUNAD_SOCKET": daemon.socketPath]
        #expect(try runCommand(ctl, ["status"], environment: env).status == 0)
        let created = try runCommand(ctl, ["create-study", "e", "--sampler", "random", "--seed", "3"], environment: env)
        #expect(created.status == 0)
        let ask = try runCommand(ctl, ["ask", "e", "--param", "lr=float:1e-5:1e-1:log", "--param", "who=cat:it's,b", "--format", "env"], environment: env)
        #expect(ask.status == 0)
        #expect(ask.out.contains("OPTUNA_TRIAL_ID=1\n"))
        #expect(ask.out.contains("OPTUNA_PARAM_LR='"))
        let missing = try runCommand(ctl, ["best-trial", "nope"], environment: env)
        #expect(missing.status == 1)
        #expect(missing.err.contains("study_not_found"))
        #expect(try runCommand(ctl, ["ask"], environment: env).status == 64)
        #expect(try runCommand(ctl, ["ask", "e", "--param", "x=float:1"], environment: env).status == 64)
        let down = try runCommand(ctl, ["status", "--socket", daemon.directory + "/none.sock"])
        #expect(down.status == 69)
        #expect(down.err.contains("is optunad running?"))
        // The env output evaluates in a shell, quotes and all.
        let sh = try runCommand("/bin/sh", ["-c", "eval \"$(\"$0\" ask e --param who2=cat:it\\'s --format env)\" && printf %s \"$OPTUNA_PARAM_WHO2\"", ctl], environment: env)
        #expect(sh.out == "it's")
    }

    @Test func pythonStandardLibraryClient() throws {
        let daemon = try LiveDaemon()
        defer { daemon.stop() }
        let script = """
            import json, socket, sys
            s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rwb")
            def call(method, **params):
                f.write((json.dumps({"id": 1, "method": method, "params": params}) + "\\n").encode()); f.flush()
                return json.loads(f.readline())
            call("create_study", study_name="py", sampler={"type": "random", "seed": 2})
            t = call("ask", study_name="py", search_space={"x": {"type": "float", "low": 0, "high": 1}})["result"]
            print(call("tell", trial_id=t["trial_id"], value=float("nan"))["result"]["state"])
            t = call("ask", study_name="py")["result"]
            call("report", trial_id=t["trial_id"], step=0, value=float("inf"))
            r = call("tell", trial_id=t["trial_id"], values=[float("-inf")])["result"]
            print(r["state"], r["values"], r["intermediate_values"])
            """
        let r = try runCommand("/usr/bin/env", ["python3", "-c", script, daemon.socketPath])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out == "FAIL\nCOMPLETE ['-Infinity'] {'0': 'Infinity'}\n")
    }
}
