import Foundation
import Shared
import Testing

@testable import Coordinator

@Suite struct FleetStateTests {
    private let now = Date(timeIntervalSince1970: 1_796_000_000)
    private let node = NodeID("web-1") ?? .localhost
    private let load = SeriesDescriptor(name: "system_load1", kind: .gauge)

    private var hello: Hello {
        Hello(nodeID: node, agentVersion: "0.1.0", hostname: "web-1", labels: ["service": "api"], incarnation: 1)
    }

    private func report(_ seq: UInt64) -> Report {
        Report(seq: seq, collectedAt: now, samples: [Sample(seriesID: SeriesID(1), value: .number(Double(seq)))])
    }

    @Test func aNewNodeStartsAtSeqZeroAndIsRegisteredForTheStore() async {
        let fleet = FleetState()
        #expect(await fleet.sessionOpened(hello, peerAddress: "127.0.0.1:1", at: now) == 0)
        let changed = await fleet.takeChanged()
        #expect(changed.map(\.id) == [node])
        #expect(changed.first?.connectionState == .connected)
        #expect(changed.first?.labels == ["service": "api"])
        #expect(await fleet.takeChanged().isEmpty)
    }

    @Test func duplicatesAreCountedButNeverApplied() async {
        let fleet = FleetState()
        _ = await fleet.sessionOpened(hello, peerAddress: "p", at: now)
        #expect(await fleet.ingest(report(1), resolved: [(load, .number(1))], from: node, at: now) == .accepted)
        #expect(await fleet.ingest(report(2), resolved: [(load, .number(2))], from: node, at: now) == .accepted)
        #expect(await fleet.ingest(report(2), resolved: [(load, .number(99))], from: node, at: now) == .duplicate)
        #expect(await fleet.ingest(report(1), resolved: [(load, .number(99))], from: node, at: now) == .duplicate)
        let summary = await fleet.summary(of: node)
        #expect(summary?.reportsReceived == 2)
        #expect(summary?.duplicateReports == 2)
        #expect(summary?.lastReportSeq == 2)
        #expect(summary?.value(of: "system_load1") == 2)
    }

    @Test func restoredNodesAreDisconnectedAndKeepTheirLastSeq() async {
        let stored = StoredNode(
            id: node,
            hostname: "web-1",
            agentVersion: "0.1.0",
            labels: [:],
            firstSeenAt: now,
            lastSeenAt: now,
            connectionState: .connected,
            peerAddress: "p",
            lastReportSeq: 500,
            reportsReceived: 500,
            duplicateReports: 0
        )
        let fleet = FleetState(restoring: [stored])
        #expect(await fleet.summary(of: node)?.state == .disconnected)
        #expect(await fleet.takeChanged().first?.connectionState == .disconnected, "the store learns it too")
        #expect(await fleet.sessionOpened(hello, peerAddress: "p", at: now) == 500)
        #expect(await fleet.ingest(report(500), resolved: [], from: node, at: now) == .duplicate)
        #expect(await fleet.ingest(report(501), resolved: [], from: node, at: now) == .accepted)
    }

    @Test func closingASessionMarksTheNodeDisconnected() async {
        let fleet = FleetState()
        _ = await fleet.sessionOpened(hello, peerAddress: "p", at: now)
        #expect(await fleet.connectedCount == 1)
        await fleet.sessionClosed(node, at: now.addingTimeInterval(5))
        #expect(await fleet.connectedCount == 0)
        #expect(await fleet.summary(of: node)?.lastSeen == now.addingTimeInterval(5))
    }

    @Test func aServiceViewHoldsTheNodesOfThatServiceAndFollowsRelabelling() async {
        let fleet = FleetState()
        func hello(_ id: String, _ service: String) -> Hello {
            Hello(
                nodeID: NodeID(id) ?? .localhost,
                agentVersion: "t",
                hostname: id,
                labels: ["service": service],
                incarnation: 1
            )
        }
        _ = await fleet.sessionOpened(hello("a-1", "api"), peerAddress: "p", at: now)
        _ = await fleet.sessionOpened(hello("a-2", "api"), peerAddress: "p", at: now)
        _ = await fleet.sessionOpened(hello("d-1", "db"), peerAddress: "p", at: now)
        let api = await fleet.view(ofServiceOf: NodeID("a-1") ?? .localhost)
        #expect(Set(api.nodes.keys.map(\.rawValue)) == ["a-1", "a-2"])
        // a-2 comes back as a database node: it leaves api.
        _ = await fleet.sessionOpened(hello("a-2", "db"), peerAddress: "p", at: now)
        #expect(Set(await fleet.view(ofServiceOf: NodeID("a-1") ?? .localhost).nodes.keys.map(\.rawValue)) == ["a-1"])
        #expect(
            Set(await fleet.view(ofServiceOf: NodeID("d-1") ?? .localhost).nodes.keys.map(\.rawValue)) == [
                "a-2", "d-1",
            ]
        )
        #expect(await fleet.view(ofServiceOf: NodeID("zz") ?? .localhost).nodes.isEmpty)
    }
}
