import Foundation
import Logging
import Shared

/// The coordinator's in-memory picture of the fleet: every node's registration, latest values and counters.
///
/// Ingest only touches memory; `NodePersistence` writes changed registrations to the store in the background,
/// so a slow disk never holds up a report or its acknowledgement.
actor FleetState {
    enum IngestResult: Equatable, Sendable {
        case accepted
        /// The seq was at or below the last accepted one: already counted, acknowledged again, not applied.
        case duplicate
    }

    private var nodes: [NodeID: NodeState] = [:]
    private var dirty: Set<NodeID> = []
    private var screen = SampleScreen()
    /// Each service's nodes, so detection after a report copies only the windows of that node's service.
    private var members: [String: Set<NodeID>] = [:]

    init(restoring stored: [StoredNode] = []) {
        for node in stored {
            var node = node
            // Nothing is connected to a coordinator that just started.
            if node.connectionState == .connected { dirty.insert(node.id) }
            node.connectionState = .disconnected
            nodes[node.id] = NodeState(stored: node)
            members[FleetView.service(of: node.labels), default: []].insert(node.id)
        }
    }

    /// Registers a session's node (or refreshes its registration) and returns the last seq accepted from it.
    func sessionOpened(_ hello: Hello, peerAddress: String, at now: Date) -> UInt64 {
        let id = hello.nodeID
        var state =
            nodes[id]
            ?? NodeState(
                stored: StoredNode(
                    id: id,
                    hostname: hello.hostname,
                    agentVersion: hello.agentVersion,
                    labels: hello.labels,
                    firstSeenAt: now,
                    lastSeenAt: now,
                    connectionState: .connected,
                    peerAddress: peerAddress,
                    lastReportSeq: 0,
                    reportsReceived: 0,
                    duplicateReports: 0
                )
            )
        state.stored.hostname = hello.hostname
        state.stored.agentVersion = hello.agentVersion
        if let previous = nodes[id] { members[FleetView.service(of: previous.stored.labels)]?.remove(id) }
        members[FleetView.service(of: hello.labels), default: []].insert(id)
        state.stored.labels = hello.labels
        state.stored.lastSeenAt = now
        state.stored.connectionState = .connected
        state.stored.peerAddress = peerAddress
        nodes[id] = state
        dirty.insert(id)
        return state.stored.lastReportSeq
    }

    /// Applies a report whose samples the session already resolved against its declarations.
    func ingest(
        _ report: Report,
        resolved samples: [(SeriesDescriptor, SampleValue)],
        from id: NodeID,
        at now: Date
    ) -> IngestResult {
        guard var state = nodes[id] else { return .duplicate }
        state.stored.lastSeenAt = now
        dirty.insert(id)
        guard report.seq > state.stored.lastReportSeq else {
            state.stored.duplicateReports += 1
            nodes[id] = state
            return .duplicate
        }
        state.stored.lastReportSeq = report.seq
        state.stored.reportsReceived += 1
        // A report carries every collector's latest values, so it replaces the previous picture: a series
        // whose collector failed or that is no longer measured must not linger with its last value.
        state.latest = Dictionary(samples, uniquingKeysWith: { _, last in last })
        state.probes = Dictionary(report.probes.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        state.record(report.events)
        state.selfStats = report.selfStats
        let windowTime = screen.windowTime(
            collectedAt: report.collectedAt,
            receivedAt: now,
            window: SeriesWindow.defaultMaxAge
        )
        state.appendToWindows(screen.admit(samples), at: windowTime, now: now)
        state.lastReportAt = now
        state.lastCollectedAt = report.collectedAt
        nodes[id] = state
        return .accepted
    }

    /// Records that a node's session ended.
    func sessionClosed(_ id: NodeID, at now: Date) {
        guard var state = nodes[id] else { return }
        state.stored.connectionState = .disconnected
        state.stored.lastSeenAt = now
        nodes[id] = state
        dirty.insert(id)
    }

    func lastReportSeq(of id: NodeID) -> UInt64? { nodes[id]?.stored.lastReportSeq }

    /// Registrations changed since the last call, for the store; marks them clean.
    func takeChanged() -> [StoredNode] {
        defer { dirty.removeAll(keepingCapacity: true) }
        return dirty.sorted().compactMap { nodes[$0]?.stored }
    }

    /// Puts registrations back in the changed set after a failed write, so the next flush retries them.
    func markChanged(_ ids: [NodeID]) {
        dirty.formUnion(ids)
    }

    func summaries() -> [NodeSummary] {
        nodes.values.map(NodeSummary.init).sorted { $0.id < $1.id }
    }

    func summary(of id: NodeID) -> NodeSummary? {
        nodes[id].map(NodeSummary.init)
    }

    /// Every node's windows now, for detection.
    func view() -> FleetView {
        FleetView(nodes: nodes.mapValues(\.view))
    }

    /// The windows of the nodes in `node`'s service (the node included), for rules of node and service scope
    /// after one of its reports.
    func view(ofServiceOf node: NodeID) -> FleetView {
        guard let state = nodes[node] else { return FleetView(nodes: [:]) }
        let service = FleetView.service(of: state.stored.labels)
        var view = FleetView(nodes: [node: state.view])
        for member in members[service] ?? [] where member != node {
            if let other = nodes[member] { view.nodes[member] = other.view }
        }
        return view
    }

    /// Samples kept out of the windows, by reason.
    var screenedSamples: [SampleScreen.Reason: UInt64] { screen.counts }

    var connectedCount: Int { nodes.values.count { $0.stored.connectionState == .connected } }
}
