import Foundation
import Shared

/// A consistent picture of the fleet's windows at one moment, for detection to read without holding the
/// fleet's actor. Copying it is cheap: every window and dictionary is copy-on-write.
struct FleetView: Sendable {
    /// The service of a node without a `service` label.
    static let unassignedService = "unassigned"
    /// The service that fleet-wide alerts and incidents belong to.
    static let fleetService = "fleet"

    struct Node: Sendable {
        var id: NodeID
        /// The node's `service` label, or `unassigned`.
        var service: String
        var windows: [SeriesDescriptor: SeriesWindow]
        /// When the coordinator last heard from the node (a report, or its registration); nil if never.
        var lastHeardAt: Date?
        var isConnected: Bool
    }

    var nodes: [NodeID: Node]

    /// The service a node's labels put it in.
    static func service(of labels: [String: String]) -> String {
        guard let name = labels["service"], !name.isEmpty else { return unassignedService }
        return name
    }
}
