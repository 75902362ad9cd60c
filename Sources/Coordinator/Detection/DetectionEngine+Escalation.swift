import Foundation

/// What escalation reads of incidents: open ones from memory once their rows are committed, others from the store.
extension DetectionEngine: EscalationContext {
    func openIncidentsForEscalation() async throws -> [Incident] {
        try await journal.waitUntilAllCommitted()
        return Array(book.open.values)
    }

    func incidentForEscalation(_ id: IncidentID) async throws -> Incident? {
        if let incident = book.open[id] { return incident }
        return try await store.incident(id)
    }
}
