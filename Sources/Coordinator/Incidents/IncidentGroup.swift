/// Alerts of one kind in one service make one incident.
struct IncidentGroup: Hashable, Sendable {
    var kind: IncidentKind
    var service: String
}
