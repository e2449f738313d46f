import OptunaCore
import OptunaProtocol
import Synchronization

/// Lets `ask` and `tell` hand their answer to the connection from inside the study actor, as soon as the study
/// has produced it: the client, waiting on its socket, gets it without also waiting for the request's way back out
/// of the actor (a hop through the event loop's task queue) and the bookkeeping after it.
///
/// ``Dispatcher`` arms it for a request alone on its line (``arm(_:)``), whose answer is then the whole response
/// line; a method that answers early calls ``deliver(_:)`` once everything later requests must see is in place
/// (the trial noted in the registry, its lease taken). The dispatcher then sends nothing more for that request
/// (``disarm()`` tells it the answer went). Requests in a batch, and requests not from a connection, are never
/// armed: their answers are assembled as before.
///
/// A connection's requests run one after another, so at most one request is armed at a time; the lock only
/// makes the hand-over between the request's steps (which may run on different threads) safe.
final class EarlyAnswer: Sendable {
    /// Writes one response line to the connection, in order with the connection's other answers.
    private let send: @Sendable ([UInt8]) -> Void
    /// The id of the armed request, and whether its answer went.
    private let state = Mutex<(id: JSONValue?, delivered: Bool)>((nil, false))

    init(send: @escaping @Sendable ([UInt8]) -> Void) {
        self.send = send
    }

    /// Lets the answer of request `id` go early.
    func arm(_ id: JSONValue) {
        state.withLock { $0 = (id, false) }
    }

    /// Ends the armed request; returns whether its answer went early.
    func disarm() -> Bool {
        state.withLock { s in
            defer { s = (nil, false) }
            return s.delivered
        }
    }

    /// Sends `answer` as the armed request's response line, unless no request is armed.
    func deliver(_ answer: TrialAnswer, parts: RenderedTrialParts? = nil) {
        guard let id = state.withLock({ s -> JSONValue? in
            guard let id = s.id else { return nil }
            s = (nil, true)
            return id
        }) else { return }
        send(Dispatcher.successLine(id: id, answer, parts: parts))
    }
}
