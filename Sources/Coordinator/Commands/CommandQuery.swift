import Foundation
import Shared

/// Which commands to list, newest first.
struct CommandQuery: Hashable, Sendable {
    var incidentID: IncidentID?
    var node: NodeID?
    /// Only these states; all when empty.
    var states: Set<RemediationCommand.State> = []
    var limit = 100
}
