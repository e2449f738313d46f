// optunad-floor-bench: the least any daemon could take for the benchmark's ask+tell pair on this machine.
//
// A SwiftNIO server on a Unix socket that answers `bench/bench.py`'s requests with fixed lines, straight from
// the channel handler: no parsing beyond finding the method, no sampler, no study, no encoding. The lines have
// the shape and size of optunad's answers (a tell gets the whole trial), so the client's share is the same. What a client
// measures against it is the socket round trip, the wake-ups of the threads on both ends, and the client's own
// work. With `--sqlite FILE` (a database in Optuna's schema) it also writes the rows optunad writes for the
// pair, in one transaction per request, on the event loop (WAL, synchronous=NORMAL): an ask inserts the trial,
// its 5 parameters and 2 system attributes; a tell sets the trial's state and inserts its value.
//
// Its event loop busy-polls as optunad's do (`--busy-poll`, default 100 µs like optunad's, 0: never), so the
// floor is what a daemon with the same means could reach.
//
// Usage: optunad-floor-bench --socket PATH [--sqlite FILE] [--busy-poll US]

import CSQLite
import Foundation
import NIOCore
import NIOPosix
import OptunaServer

struct FloorError: Error, CustomStringConvertible {
    let description: String
}

/// The rows of one ask and one tell, written through prepared statements.
///
/// `@unchecked Sendable`: the connection is used with `lock` held only.
final class Rows: @unchecked Sendable {
    private var db: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    private let lock = NSLock()
    private var number: Int64 = 0
    private let distribution =
        #"{"name": "FloatDistribution", "attributes": {"step": null, "low": -5.0, "high": 5.0, "log": false}}"#

    init(path: String) throws {
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK else {
            throw FloorError(description: "cannot open \(path)")
        }
        for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA busy_timeout = 5000"] {
            try run(pragma)
        }
        guard let study = try scalar("SELECT min(study_id) FROM studies") else {
            throw FloorError(description: "\(path) has no study: create one with optunad first")
        }
        self.study = study
    }

    /// The study the trials go to (the file's first).
    private var study: Int64 = 0

    private func statement(_ sql: String) throws -> OpaquePointer {
        if let s = statements[sql] {
            sqlite3_reset(s)
            return s
        }
        var s: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &s, nil) == SQLITE_OK, let s else {
            throw FloorError(description: String(cString: sqlite3_errmsg(db)))
        }
        statements[sql] = s
        return s
    }

    private func step(_ s: OpaquePointer) throws {
        let rc = sqlite3_step(s)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw FloorError(description: String(cString: sqlite3_errmsg(db))) }
    }

    private func run(_ sql: String, _ bind: (OpaquePointer) -> Void = { _ in }) throws {
        let s = try statement(sql)
        bind(s)
        try step(s)
        sqlite3_reset(s)
    }

    private func scalar(_ sql: String) throws -> Int64? {
        let s = try statement(sql)
        defer { sqlite3_reset(s) }
        guard sqlite3_step(s) == SQLITE_ROW, sqlite3_column_type(s, 0) != SQLITE_NULL else { return nil }
        return sqlite3_column_int64(s, 0)
    }

    private func text(_ s: OpaquePointer, _ i: Int32, _ value: String) {
        sqlite3_bind_text(s, i, value, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
    }

    /// One ask's rows; returns the trial id.
    func ask() throws -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        try run("BEGIN IMMEDIATE")
        do {
            try run(
                "INSERT INTO trials (number, study_id, state, datetime_start) VALUES (?, ?, 'RUNNING', ?)"
            ) { s in
                sqlite3_bind_int64(s, 1, number)
                sqlite3_bind_int64(s, 2, study)
                text(s, 3, "2026-12-05 01:02:03.123456")
            }
            number += 1
            let trial = sqlite3_last_insert_rowid(db)
            for i in 0..<5 {
                try run(
                    "INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (?, ?, ?, ?)"
                ) { s in
                    sqlite3_bind_int64(s, 1, trial)
                    text(s, 2, "x\(i)")
                    sqlite3_bind_double(s, 3, Double(i) * 0.37)
                    text(s, 4, distribution)
                }
            }
            for (key, value) in [("optunad:client_pid", "4242"), ("optunad:client_uid", "0")] {
                try run("INSERT INTO trial_system_attributes (trial_id, key, value_json) VALUES (?, ?, ?)") { s in
                    sqlite3_bind_int64(s, 1, trial)
                    text(s, 2, key)
                    text(s, 3, value)
                }
            }
            try run("COMMIT")
            return trial
        } catch {
            try? run("ROLLBACK")
            throw error
        }
    }

    /// One tell's rows.
    func tell(_ trial: Int64) throws {
        lock.lock()
        defer { lock.unlock() }
        try run("BEGIN IMMEDIATE")
        do {
            try run("UPDATE trials SET state = 'COMPLETE', datetime_complete = ? WHERE trial_id = ?") { s in
                text(s, 1, "2026-12-05 01:02:03.223456")
                sqlite3_bind_int64(s, 2, trial)
            }
            try run("INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (?, 0, 1.5, 'FINITE')") {
                sqlite3_bind_int64($0, 1, trial)
            }
            try run("COMMIT")
        } catch {
            try? run("ROLLBACK")
            throw error
        }
    }
}

/// Answers every line at once with a fixed answer (and, with ``Rows``, writes the pair's rows first).
final class FixedAnswers: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let rows: Rows?
    private var nextTrial: Int64 = 0

    init(rows: Rows?) {
        self.rows = rows
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = String(buffer: unwrapInboundIn(data))
        var answer: String
        if line.contains(#""ask""#) {
            nextTrial += 1
            let trial = (try? rows?.ask()) ?? nextTrial
            answer =
                #"{"id":1,"jsonrpc":"2.0","result":{"number":0,"params":{"x0":1.6094000509707946,"#
                + #""x1":-1.768117473676567,"x2":1.9670667407132658,"x3":0.9923873381540869,"#
                + #""x4":2.1825984277428176},"trial_id":\#(trial)}}"#
        } else if line.contains(#""tell""#) {
            if let rows, let range = line.range(of: #""trial_id": "#),
                let trial = Int64(line[range.upperBound...].prefix(while: \.isNumber))
            {
                try? rows.tell(trial)
            }
            // The whole trial, as optunad answers a tell: the client reads and parses as much.
            answer =
                #"{"id":2,"jsonrpc":"2.0","result":{"constraints":null,"datetime_complete":"2026-12-05T01:02:03.223456Z","#
                + #""datetime_start":"2026-12-05T01:02:03.123456Z","distributions":{"#
                + (0..<5).map { #""x\#($0)":{"high":5.0,"log":false,"low":-5.0,"step":null,"type":"float"}"# }
                .joined(separator: ",")
                + #"},"intermediate_values":{},"number":0,"params":{"x0":1.6094000509707946,"x1":-1.768117473676567,"#
                + #""x2":1.9670667407132658,"x3":0.9923873381540869,"x4":2.1825984277428176},"state":"COMPLETE","#
                + #""study_name":"bench","system_attrs":{"optunad:client_pid":4242,"optunad:client_uid":0},"trial_id":1,"#
                + #""user_attrs":{},"value":1.5,"values":[1.5]}}"#
        } else {
            answer = #"{"id":0,"jsonrpc":"2.0","result":{}}"#
        }
        answer += "\n"
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: answer)), promise: nil)
    }
}

func main() async throws {
    var socket: String?
    var sqlite: String?
    var busyPoll = 100
    var arguments = CommandLine.arguments.dropFirst()
    while let flag = arguments.popFirst() {
        guard let value = arguments.popFirst() else { throw FloorError(description: "\(flag) needs a value") }
        switch flag {
        case "--socket": socket = value
        case "--sqlite": sqlite = value
        case "--busy-poll":
            guard let us = Int(value), us >= 0 else { throw FloorError(description: "--busy-poll takes microseconds") }
            busyPoll = us
        default: throw FloorError(description: "unknown option \(flag)")
        }
    }
    guard let socket else {
        throw FloorError(description: "usage: optunad-floor-bench --socket PATH [--sqlite FILE] [--busy-poll US]")
    }
    let rows = try sqlite.map { try Rows(path: $0) }
    let polling = BusyPoll(microseconds: busyPoll)
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1, metricsDelegate: polling)
    await polling.adopt(loopsOf: group)
    let channel = try await ServerBootstrap(group: group)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFrames()))
                try channel.pipeline.syncOperations.addHandler(FixedAnswers(rows: rows))
            }
        }
        .bind(unixDomainSocketPath: socket, cleanupExistingSocketFile: true).get()
    try await channel.closeFuture.get()
}

/// Splits the stream into lines (a request may arrive in pieces, or several in one read).
struct LineFrames: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: 0x0A),
            let line = buffer.readSlice(length: newline - buffer.readerIndex + 1)
        else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }
}

do {
    try await main()
} catch {
    FileHandle.standardError.write(Data("optunad-floor-bench: \(error)\n".utf8))
    exit(64)
}
