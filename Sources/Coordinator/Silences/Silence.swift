import Foundation
import Shared

/// A time during which automatic remediation leaves matching incidents alone: a silence from now, or a
/// maintenance window that starts later. It matches a command when every matcher it has (node, service,
/// incident kind; at least one) equals the command's.
struct Silence: Codable, Hashable, Sendable {
    /// Where a silence is in its life at a given time.
    enum State: String, Codable, Hashable, Sendable {
        /// A maintenance window that has not started yet.
        case scheduled
        case active
        case ended
        /// Expired early by a person.
        case removed
    }

    /// Reasons are a few paragraphs at most, like incident notes.
    static let maximumReasonLength = 4_000

    var id: SilenceID
    var node: NodeID?
    var service: String?
    var kind: IncidentKind?
    var startsAt: Date
    var endsAt: Date
    var createdBy: String
    var reason: String
    var createdAt: Date
    var removedAt: Date?
    var removedBy: String?
    /// The incident it was added for (`vigil ack ID --silence`): it ends when that incident resolves.
    var incidentID: IncidentID?
    /// When the responder was told that it expired while its incident was still open.
    var expiryNotedAt: Date?

    func state(at now: Date) -> State {
        if removedAt != nil { return .removed }
        if now < startsAt { return .scheduled }
        return now < endsAt ? .active : .ended
    }

    /// Whether it holds remediation at `now`: started, not ended, not removed.
    func isActive(at now: Date) -> Bool { state(at: now) == .active }

    /// Whether it could still hold remediation: active now or scheduled.
    func isCurrent(at now: Date) -> Bool { removedAt == nil && now < endsAt }

    /// Whether its matchers all fit a command for `node` about incident `incident` of `kind` in `service`; a
    /// silence bound to an incident fits that incident's commands only.
    func matches(node: NodeID, service: String, kind: IncidentKind, incident: IncidentID? = nil) -> Bool {
        guard self.node != nil || self.service != nil || self.kind != nil else { return false }
        if let bound = incidentID, let incident, bound != incident { return false }
        return (self.node.map { $0 == node } ?? true) && (self.service.map { $0 == service } ?? true)
            && (self.kind.map { $0 == kind } ?? true)
    }

    /// Whether it fits an incident: its kind and service, and its node among the incident's nodes. Paging asks
    /// this: a silence on one node holds the page only for an incident about that node alone. A silence bound to
    /// an incident holds that incident only, never the next one of its kind.
    func matches(_ incident: Incident) -> Bool {
        guard node != nil || service != nil || kind != nil else { return false }
        if let bound = incidentID, bound != incident.id { return false }
        let nodeFits = node.map { node in !incident.affectedNodes.isEmpty && incident.affectedNodes.allSatisfy { $0 == node } }
        return (nodeFits ?? true) && (service.map { $0 == incident.service } ?? true)
            && (kind.map { $0 == incident.kind } ?? true)
    }

    /// `node=web-1 service=api`: its matchers as people write them.
    var matcherText: String {
        [
            node.map { "node=\($0)" }, service.map { "service=\($0)" }, kind.map { "kind=\($0)" },
        ]
        .compactMap { $0 }
        .joined(separator: " ")
    }
}
