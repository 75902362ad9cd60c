import Shared

/// Messages for one live agent session from outside it (commands), written by the session in order.
///
/// Bounded: a session that cannot keep up refuses more, and the sender keeps what it could not queue for the
/// next connection.
struct AgentOutbox: Sendable {
    static let capacity = 256

    /// The session this outbox belongs to, so a late release of an old session cannot close a newer one's.
    let session: UInt64
    private let continuation: AsyncStream<WireMessage>.Continuation

    /// A new outbox and the stream its session writes from.
    static func make(session: UInt64) -> (AgentOutbox, AsyncStream<WireMessage>) {
        let (stream, continuation) = AsyncStream<WireMessage>.makeStream(bufferingPolicy: .bufferingOldest(capacity))
        return (AgentOutbox(session: session, continuation: continuation), stream)
    }

    /// Queues `message`; false when the session has ended or its queue is full.
    func send(_ message: WireMessage) -> Bool {
        if case .enqueued = continuation.yield(message) { return true }
        return false
    }

    /// Ends the stream: the session's writer stops after what is queued.
    func close() {
        continuation.finish()
    }
}
