import Synchronization

/// Counters about the uplink that every report carries in its self-stats.
final class UplinkStatistics: Sendable {
    private let sessions = Atomic<UInt32>(0)

    /// Connections that reached the coordinator; every one after the first is a reconnect.
    func recordConnectAttempt() {
        sessions.add(1, ordering: .relaxed)
    }

    var reconnects: UInt32 {
        let count = sessions.load(ordering: .relaxed)
        return count > 0 ? count - 1 : 0
    }
}
