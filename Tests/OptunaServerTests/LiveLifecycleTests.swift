import Foundation
import OptunaClient
import OptunaCore
import OptunaProtocol
import Testing

/// Reliability and access control against the real daemon.
@Suite(.serialized) struct LiveLifecycleTests {
    @Test func aClosedConnectionFailsItsLeasedTrialsAtOnce() throws {
        let daemon = try LiveDaemon()
        defer { daemon.stop() }
        let admin = try daemon.client()
        _ = try admin.call("create_study", ["study_name": "l", "sampler": "random"])
        var leased: JSONValue = .null
        var free: JSONValue = .null
        do {
            let job = try daemon.client()
            leased = try job.call("ask", ["study_name": "l", "lease": "connection"])["trial_id"] ?? .null
            free = try job.call("ask", ["study_name": "l"])["trial_id"] ?? .null
        }  // the job's connection closes here, as when it is killed
        var state = ""
        for _ in 0..<200 {
            state = try admin.call("get_trial", ["trial_id": leased])["state"]?.stringValue ?? ""
            if state == "FAIL" { break }
            usleep(10_000)
        }
        #expect(state == "FAIL")
        #expect(try admin.call("get_trial", ["trial_id": free])["state"] == "RUNNING")
        // A told leased trial is not touched when its connection closes later.
        let job2 = try daemon.client()
        let t = try job2.call("ask", ["study_name": "l", "lease": "connection"])["trial_id"] ?? .null
        _ = try job2.call("tell", ["trial_id": t, "value": 1])
        _ = consume job2
        usleep(100_000)
        #expect(try admin.call("get_trial", ["trial_id": t])["state"] == "COMPLETE")
    }

    @Test func answersSurviveTheClientsHalfClose() throws {
        let daemon = try LiveDaemon()
        defer { daemon.stop() }
        let input = #"{"id":1,"method":"create_study","params":{"study_name":"hc"}}"# + "\n"
            + #"{"id":2,"method":"ask","params":{"study_name":"hc"}}"# + "\n" + #"{"id":3,"method":"hello"}"#
        for _ in 0..<5 {
            let r = try runCommand(
                "/usr/bin/env", ["python3", "-c", """
                import socket, sys
                s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(20)
                s.sendall(sys.stdin.buffer.read()); s.shutdown(socket.SHUT_WR)
                data = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk: break
                    data += chunk
                print(data.count(b"\\n"))
                """, daemon.socketPath], input: input)
            #expect(r.out == "3\n", "\(r.err)")
        }
    }

    @Test func connectionsBeyondTheLimitAreRefusedClearly() throws {
        let daemon = try LiveDaemon(extraArguments: ["--max-connections", "2"])
        defer { daemon.stop() }
        // Connections are opened one at a time, each confirmed before the next, so the daemon has counted it.
        // A refused connection gets one error line at once; an accepted one stays silent until asked.
        var accepted: [OptunaClient] = []
        var refusal: JSONValue?
        for attempt in 0..<20 {
            let c = try OptunaClient(socketPath: daemon.socketPath, timeout: .milliseconds(500))
            if let line = try? c.readLine() {
                refusal = try JSONParser.parse(line)
                // The readiness probe's connection may not have been counted out yet: then try again.
                if accepted.count < 2, attempt < 19 {
                    usleep(100_000)
                    continue
                }
                break
            }
            #expect(try c.call("hello")["protocol"] == 1)
            accepted.append(c)
        }
        #expect(accepted.count == 2)
        #expect(refusal?["error"]?["data"]?["kind"] == "too_many_connections")
        #expect(try accepted[0].call("hello")["protocol"] == 1)
    }

    @Test(.enabled(if: getuid() == 0, "switching users needs root"))
    func studiesBelongToTheirCreators() throws {
        let daemon = try LiveDaemon(extraArguments: ["--socket-mode", "0666"])
        defer { daemon.stop() }
        let root = try daemon.client()
        _ = try root.call("create_study", ["study_name": "private", "sampler": "random"])
        _ = try root.call("create_study", ["study_name": "team", "sampler": "random", "shared": true])
        let script = """
            import json, socket, sys
            s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rwb")
            def call(m, **p):
                f.write((json.dumps({"id": 1, "method": m, "params": p}) + "\\n").encode()); f.flush()
                r = json.loads(f.readline())
                return r["error"]["data"]["kind"] if "error" in r else "ok"
            print(call("get_study", study_name="private"), call("ask", study_name="private"),
                  call("delete_study", study_name="private"), call("ask", study_name="team"),
                  call("set_study_user_attr", study_name="team", key="k", value=1),
                  call("create_study", study_name="mine"), call("ask", study_name="mine"))
            """
        let r = try runCommand(
            "/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/env", "python3", "-c", script,
                                  daemon.socketPath])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out == "ok permission_denied permission_denied ok permission_denied ok ok\n")
        let mine = try root.call("get_study", ["study_name": "mine"])
        #expect(mine["owner_uid"] == 65534)
        // Root may administer any study; the trial records who asked.
        _ = try root.call("delete_study", ["study_name": "mine"])
        let trials = try root.call("get_trials", ["study_name": "team"])
        #expect(trials.arrayValue?.first?["system_attrs"]?["optunad:client_uid"] == 65534)
    }

    @Test func accessControlCanBeTurnedOff() throws {
        let daemon = try LiveDaemon(extraArguments: ["--access-control", "off"])
        defer { daemon.stop() }
        let c = try daemon.client()
        _ = try c.call("create_study", ["study_name": "open", "sampler": "random"])
        #expect(try c.call("delete_study", ["study_name": "open"]) == [:])
    }
}
