import Shared

/// Which agent sessions are live, one per node, and what the listener has refused or ignored.
actor AgentRegistry {
    struct Counters: Sendable, Equatable, Codable {
        var sessionsAccepted: UInt64 = 0
        var sessionsRejected: [String: UInt64] = [:]
        var unknownMessages: UInt64 = 0
        /// Samples left out of otherwise good reports because they did not fit their declared series.
        var skippedSamples: UInt64 = 0
    }

    private var live: [NodeID: (session: UInt64, peer: String)] = [:]
    private var outboxes: [NodeID: AgentOutbox] = [:]
    private var nextSession: UInt64 = 1
    private(set) var counters = Counters()

    func makeSessionID() -> UInt64 {
        defer { nextSession += 1 }
        return nextSession
    }

    /// Claims `node` for `session`; returns the peer already holding it when another session is live.
    func claim(_ node: NodeID, session: UInt64, peer: String) -> String? {
        if let holder = live[node], holder.session != session { return holder.peer }
        live[node] = (session, peer)
        counters.sessionsAccepted += 1
        return nil
    }

    /// Releases `node` if `session` still holds it.
    func release(_ node: NodeID, session: UInt64) {
        if live[node]?.session == session { live[node] = nil }
        if let outbox = outboxes[node], outbox.session == session {
            outbox.close()
            outboxes[node] = nil
        }
    }

    /// Makes `outbox` the way to `node` while its session holds the node; false (and closed) otherwise.
    @discardableResult
    func attach(_ outbox: AgentOutbox, to node: NodeID) -> Bool {
        guard live[node]?.session == outbox.session else {
            outbox.close()
            return false
        }
        outboxes[node]?.close()
        outboxes[node] = outbox
        return true
    }

    /// Queues `message` for the node's live session; false when it has none or its queue is full.
    func send(_ message: WireMessage, to node: NodeID) -> Bool {
        outboxes[node]?.send(message) ?? false
    }

    func recordRejection(_ reason: Reject.Reason) {
        counters.sessionsRejected[reason.rawValue, default: 0] += 1
    }

    func recordSkippedSamples(_ count: Int) {
        counters.skippedSamples += UInt64(count)
    }

    func recordUnknownMessage() {
        counters.unknownMessages += 1
    }

    var liveCount: Int { live.count }
}
