import Foundation

/// Which on-call role an incident pages: by its service first, then by its kind, else the default role.
struct EscalationRouting: Hashable, Sendable {
    var defaultRole: String
    var roleByKind: [IncidentKind: String]
    var roleByService: [String: String]

    /// The playbook's split: database incidents page the Database role, everything else SRE.
    static let playbook = EscalationRouting(
        defaultRole: "sre",
        roleByKind: [
            IncidentKind("replication_lag"): "database",
            IncidentKind("connection_pool_exhaustion"): "database",
        ],
        roleByService: [:]
    )

    func role(forKind kind: IncidentKind, service: String) -> String {
        roleByService[service] ?? roleByKind[kind] ?? defaultRole
    }
}
