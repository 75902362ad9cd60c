/// The playbook's incident statuses, in the order an incident usually goes through them.
enum IncidentStatus: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Opened; nobody knows the cause yet.
    case investigating = "INVESTIGATING"
    /// The cause is known and being worked on.
    case identified = "IDENTIFIED"
    /// A fix is in (or every alert cleared) and the signals are being watched.
    case monitoring = "MONITORING"
    case resolved = "RESOLVED"

    /// Reads the name in any case: `monitoring`, `MONITORING`.
    init?(text: String) {
        self.init(rawValue: text.uppercased())
    }

    var isOpen: Bool { self != .resolved }

    var description: String { rawValue }
}
