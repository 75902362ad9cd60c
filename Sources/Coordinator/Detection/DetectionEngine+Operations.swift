import Foundation
import Shared

/// Operators' requests: each changes the incident in memory, then answers once the change is on disk.
extension DetectionEngine: IncidentOperations {
    func incidents(matching query: IncidentQuery) async throws(IncidentOperationError) -> [Incident] {
        try await settle()
        return try await reading { try await store.incidents(matching: query) }
    }

    func detail(of id: IncidentID) async throws(IncidentOperationError) -> IncidentDetail {
        try await settle()
        guard let incident = try await reading({ try await store.incident(id) }) else { throw .notFound(id) }
        let snapshots = try await reading { try await store.snapshots(of: id) }
        let timeline = try await reading { try await store.timeline(of: id) }
        let alerts = currentAlerts.filter { $0.incidentID == id && ($0.state == .firing) }
        let postmortem = try await reading { try await store.postmortem(of: id) }
        return IncidentDetail(
            incident: incident,
            alerts: alerts,
            snapshots: snapshots,
            timeline: timeline,
            postmortem: postmortem
        )
    }

    func acknowledge(_ id: IncidentID, by person: String) async throws(IncidentOperationError) -> Incident {
        let incident = try await current(id)
        let (changed, changes) = try book.acknowledge(incident, by: person, now: Date())
        return try await commit(changed, changes)
    }

    func setStatus(
        _ id: IncidentID,
        to status: IncidentStatus,
        by person: String,
        note: String?
    ) async throws(IncidentOperationError) -> Incident {
        let incident = try await current(id)
        let (changed, changes) = try book.setStatus(incident, to: status, by: person, note: note, now: Date())
        return try await commit(changed, changes)
    }

    func resolve(
        _ id: IncidentID,
        by person: String,
        rootCause: String?,
        force: Bool
    ) async throws(IncidentOperationError) -> Incident {
        let incident = try await current(id)
        let (changed, changes) = try book.resolve(incident, by: person, rootCause: rootCause, force: force, now: Date())
        return try await commit(changed, changes)
    }

    func addNote(_ id: IncidentID, text: String, by person: String) async throws(IncidentOperationError) -> Incident {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalid("a note needs text") }
        let incident = try await current(id)
        let (changed, changes) = book.addNote(incident, text: trimmed, by: person, now: Date())
        return try await commit(changed, changes)
    }

    func assignCommander(
        _ id: IncidentID,
        to commander: String,
        by person: String
    ) async throws(IncidentOperationError) -> Incident {
        let name = commander.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw .invalid("a commander needs a name") }
        let incident = try await current(id)
        let (changed, changes) = book.assignCommander(incident, to: name, by: person, now: Date())
        return try await commit(changed, changes)
    }

    func statistics(since: Date?) async throws(IncidentOperationError) -> [SeverityStatistics] {
        try await settle()
        return try await reading { try await store.statistics(since: since) }
    }

    // MARK: - Helpers

    /// The incident as it is now: open ones from memory, resolved ones from the store.
    private func current(_ id: IncidentID) async throws(IncidentOperationError) -> Incident {
        if let open = book.open[id] { return open }
        try await settle()
        let stored = try await reading { try await store.incident(id) }
        // The store read suspended this actor; the incident may have reopened meanwhile.
        if let open = book.open[id] { return open }
        guard let stored else { throw .notFound(id) }
        return stored
    }

    private func commit(
        _ incident: Incident,
        _ changes: [IncidentChange]
    ) async throws(IncidentOperationError) -> Incident {
        let sequence = journal.append(changes)
        do {
            try await journal.waitUntilCommitted(sequence)
        } catch let error as IncidentOperationError {
            throw error
        } catch {
            throw .unavailable("\(error)")
        }
        return incident
    }

    /// Waits until everything detection wrote so far is on disk, so reads see it.
    private func settle() async throws(IncidentOperationError) {
        do {
            try await journal.waitUntilAllCommitted()
        } catch let error as IncidentOperationError {
            throw error
        } catch {
            throw .unavailable("\(error)")
        }
    }

    private func reading<T: Sendable>(_ body: () async throws -> T) async throws(IncidentOperationError) -> T {
        do {
            return try await body()
        } catch {
            throw .unavailable("\(error)")
        }
    }
}
