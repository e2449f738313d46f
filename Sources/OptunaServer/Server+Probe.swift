import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

extension Server {
    /// The request a probe sends: `hello`, which every server answers without touching storage.
    static let probeRequest = #"{"jsonrpc":"2.0","id":"optunad-probe","method":"hello"}"# + "\n"

    /// Checks that the server still answers, the way a client would: connects to the listening socket, sends
    /// `hello` and waits for its answer.
    ///
    /// A success proves that the event loops accept and read connections and that requests are dispatched and
    /// answered, so a watchdog keep-alive sent only after a success stops when the daemon wedges. When the listening
    /// socket has no path (an abstract socket passed by the service manager), the request goes straight to the
    /// dispatcher instead.
    ///
    /// - Important: The answer counts in ``requestsServed``. If an event loop never completes the connection, the
    ///   probe does not return at all, which also stops keep-alives.
    /// - Parameter timeout: How long to wait for the answer.
    /// - Returns: `true` if an answer with a `result` arrived within `timeout`.
    public func probe(timeout: Duration) async -> Bool {
        guard let path = listeningPath() else {
            let answer = await dispatcher.handle(line: Array(Self.probeRequest.utf8.dropLast()))
            return answer.map { String(decoding: $0, as: UTF8.self).contains(#""result""#) } ?? false
        }
        do {
            return try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask { [loops] in try await Self.helloRoundTrip(path: path, group: loops) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return false
                }
                let first = try await group.next() ?? false
                group.cancelAll()
                return first
            }
        } catch {
            return false
        }
    }

    /// The path clients connect to: the configured one, or the bound path of the socket passed by the service
    /// manager; `nil` for an abstract or unnamed socket.
    func listeningPath() -> String? {
        guard let fd = configuration.activatedSocket else { return configuration.socketPath }
        var address = sockaddr_un()
        var length = socklen_t(MemoryLayout<sockaddr_un>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0, address.sun_family == sa_family_t(AF_UNIX) else { return nil }
        let bytes = withUnsafeBytes(of: address.sun_path) { Array($0) }
        // An abstract socket's name starts with a NUL byte; an unnamed one has no name at all.
        guard let first = bytes.first, first != 0 else { return nil }
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    private static func helloRoundTrip(path: String, group: MultiThreadedEventLoopGroup) async throws -> Bool {
        let channel = try await ClientBootstrap(group: group)
            .connect(unixDomainSocketPath: path) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: probeRequest))
            var received = ByteBuffer()
            for try await var chunk in inbound {
                received.writeBuffer(&chunk)
                if received.readableBytesView.contains(0x0A) {
                    return String(buffer: received).contains(#""result""#)
                }
            }
            return false
        }
    }
}
