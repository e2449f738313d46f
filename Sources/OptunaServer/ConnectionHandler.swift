import NIOCore
import OptunaCore
import OptunaProtocol

/// Reads newline-delimited requests from one client connection and writes their answers in order.
///
/// Requests of one connection run one at a time, in arrival order (a client may pipeline: `create_study`
/// then `ask` on the same line stream behaves as if sent one by one), so answers come back in request order.
/// They run in one task per connection, which prefers the connection's event loop (``EventLoopTaskExecutor``),
/// so a request on a free study is answered without leaving the thread that read it; between requests the task
/// waits for the next line (a request costs no task of its own). Backpressure: when
/// ``maximumPipelined`` requests are queued, the handler stops reading from the socket until the queue drains,
/// so a fast writer never makes the daemon buffer without bound.
///
/// A client that shuts down its writing side (`printf '…\n' | socat - UNIX-CONNECT:…`) still gets every answer:
/// the connection closes once the requests read before the shutdown are answered. When the connection closes,
/// trials leased to it (`ask` with `"lease": "connection"`) fail at once.
final class ConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The server's dispatcher, with this connection as its ``Dispatcher/origin``.
    private var dispatcher: Dispatcher
    private let tracker: ConnectionTracker
    private let maximumLineBytes: Int
    private let maximumPipelined: Int
    private let maximumConnections: Int
    private var inputClosed = false
    private var connectionID: UInt64 = 0
    private var accumulated: ByteBuffer?
    private var pending = CircularBuffer<[UInt8]>()
    private var busy = false
    private var readSuppressed = false
    private var closing = false
    /// Whether the connection's request task has been started.
    private var requestTaskStarted = false
    /// The request task, when it waits for the next line.
    private var waitingForLine: CheckedContinuation<[UInt8]?, Never>?

    init(
        dispatcher: Dispatcher, tracker: ConnectionTracker, maximumLineBytes: Int, maximumPipelined: Int,
        maximumConnections: Int = .max
    ) {
        self.maximumConnections = maximumConnections
        self.dispatcher = dispatcher.forConnection()
        self.tracker = tracker
        self.maximumLineBytes = maximumLineBytes
        self.maximumPipelined = maximumPipelined
    }

    func channelActive(context: ChannelHandlerContext) {
        let (id, open) = tracker.opened(context.channel)
        connectionID = id
        dispatcher.origin.connection = id
        if open > maximumConnections {
            refuse(context: context, RPCError(
                .tooManyConnections, "optunad serves at most \(maximumConnections) connections; try again later"))
            context.fireChannelActive()
            return
        }
        // On the event loop the option is read at once, so the credentials are known before the first read.
        PeerCredentials.of(context.channel).assumeIsolated().whenSuccess { self.dispatcher.origin.client = $0 }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        closing = true
        pending.removeAll()
        waitingForLine?.resume(returning: nil)
        waitingForLine = nil
        tracker.closed(context.channel)
        let (registry, id) = (dispatcher.registry, connectionID)
        // Bridges the event loop's callback to the studies; the leased trials fail independently of this channel.
        Task { await registry.connectionClosed(id) }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        var incoming = unwrapInboundIn(data)
        if accumulated == nil {
            accumulated = incoming
        } else {
            accumulated?.writeBuffer(&incoming)
        }
        guard var buffer = accumulated else { return }
        while let newline = buffer.readableBytesView.firstIndex(of: 0x0A) {
            let length = newline - buffer.readerIndex
            guard var line = buffer.readBytes(length: length) else { break }
            buffer.moveReaderIndex(forwardBy: 1)
            if line.last == 0x0D { line.removeLast() }
            if line.count > maximumLineBytes {
                tooLarge(context: context)
                return
            }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            pending.append(line)
        }
        if buffer.readableBytes > maximumLineBytes {
            tooLarge(context: context)
            return
        }
        buffer.discardReadBytes()
        accumulated = buffer.readableBytes == 0 ? nil : buffer
        processNext(context: context)
    }

    /// Answers an over-long line with `request_too_large` and closes the connection (the rest of that line
    /// cannot be framed reliably).
    private func tooLarge(context: ChannelHandlerContext) {
        refuse(context: context, RPCError(
            .requestTooLarge, "request line longer than \(maximumLineBytes) bytes; closing the connection"))
    }

    /// Writes one error line (id null) and closes the connection.
    private func refuse(context: ChannelHandlerContext, _ error: RPCError) {
        closing = true
        accumulated = nil
        pending.removeAll()
        let bytes = RPCResponse.line(RPCResponse.failure(id: .null, error: error))
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    /// Hands the next pending line to the request task (starting it for the first line) when the task waits for
    /// one; while it runs, it takes the next line itself when it finishes (``finished(_:context:)``).
    private func processNext(context: ChannelHandlerContext) {
        guard !busy, !closing, waitingForLine != nil || !requestTaskStarted, let line = pending.popFirst() else { return }
        busy = true
        tracker.requestStarted()
        if let waiting = waitingForLine {
            waitingForLine = nil
            waiting.resume(returning: line)
        } else if !requestTaskStarted {
            requestTaskStarted = true
            startRequestTask(context: context, first: line)
        }
    }

    /// Starts the connection's request task: it answers `first`, then each line ``processNext(context:)`` hands
    /// it, until the connection closes.
    private func startRequestTask(context: ChannelHandlerContext, first: [UInt8]) {
        var dispatcher = self.dispatcher
        let loop = context.eventLoop
        let handler = NIOLoopBound((self, context), eventLoop: loop)
        // Answers sent from inside a study actor: on the loop at once, else queued to the loop ahead of the
        // request task's own return there, so answers keep their order.
        dispatcher.earlyAnswer = EarlyAnswer { line in
            if loop.inEventLoop {
                handler.value.0.send(line, context: handler.value.1)
            } else {
                loop.execute { handler.value.0.send(line, context: handler.value.1) }
            }
        }
        Task(executorPreference: EventLoopTaskExecutor(loop)) {
            var line: [UInt8]? = first
            while let request = line {
                let response = await dispatcher.handle(line: request)
                // `handle` returns on the task's preferred executor, the loop, also after a bulk answer ran on
                // the global executor; should it ever not, yielding resumes the task there before it touches the
                // handler's state (``NIOLoopBound`` traps off the loop).
                if !loop.inEventLoop { await Task.yield() }
                let (this, context) = handler.value
                line = this.finished(response, context: context)
                if line == nil, !this.closing {
                    line = await withCheckedContinuation { this.waitingForLine = $0 }
                }
            }
        }
    }

    /// Writes a request's answer, and returns the next line to answer if one is pending (else nil: the task then
    /// waits, or ends when the connection is closing).
    private func finished(_ response: [UInt8]?, context: ChannelHandlerContext) -> [UInt8]? {
        busy = false
        tracker.requestFinished()
        if let response { send(response, context: context) }
        if readSuppressed, pending.count < maximumPipelined {
            readSuppressed = false
            context.read()
        }
        guard !closing, let next = pending.popFirst() else {
            closeIfDrained(context: context)
            return nil
        }
        busy = true
        tracker.requestStarted()
        return next
    }

    /// Writes one response line, unless the connection is closing.
    private func send(_ line: [UInt8], context: ChannelHandlerContext) {
        guard !closing else { return }
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: line)), promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let e = event as? ChannelEvent, e == .inputClosed {
            inputClosed = true
            // A last line without its newline is still a request.
            if let rest = accumulated, rest.readableBytes > 0, !closing {
                let line = Array(rest.readableBytesView)
                accumulated = nil
                if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { pending.append(line) }
                processNext(context: context)
            }
            closeIfDrained(context: context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// After the client's half-close, closes once every request read has been answered.
    private func closeIfDrained(context: ChannelHandlerContext) {
        guard inputClosed, !busy, pending.isEmpty, !closing else { return }
        closing = true
        context.close(promise: nil)
    }

    func read(context: ChannelHandlerContext) {
        if pending.count >= maximumPipelined {
            readSuppressed = true
        } else {
            context.read()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        closing = true
        context.close(promise: nil)
    }
}
