import Foundation
import Shared

/// A silence as a person asks for it, with its times already resolved against the coordinator's clock.
struct SilenceDraft: Hashable, Sendable {
    var node: NodeID?
    var service: String?
    var kind: IncidentKind?
    var startsAt: Date
    var endsAt: Date
    var createdBy: String
    var reason: String
    /// Set by `vigil ack ID --silence`: the silence ends when that incident resolves.
    var incidentID: IncidentID? = nil
}
