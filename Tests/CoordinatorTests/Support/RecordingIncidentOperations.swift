import Foundation
import Shared

@testable import Coordinator

/// A stand-in for the incident engine: answers from fixed incidents, records every call with its arguments,
/// and fails every call with a chosen error when told to.
actor RecordingIncidentOperations: IncidentOperations {
    /// One call, with the arguments it was given.
    enum Call: Equatable, Sendable {
        case list(IncidentQuery)
        case detail(IncidentID)
        case acknowledge(IncidentID, by: String)
        case setStatus(IncidentID, IncidentStatus, by: String, note: String?)
        case resolve(IncidentID, by: String, rootCause: String?, force: Bool)
        case addNote(IncidentID, text: String, by: String)
        case assignCommander(IncidentID, to: String, by: String)
        case statistics(since: Date?)
    }

    /// When changes happen, as far as the stand-in is concerned.
    static let changedAt = IncidentFixtures.opened.addingTimeInterval(9_000)

    private(set) var calls: [Call] = []
    private var incidents: [IncidentID: Incident]
    private var failure: IncidentOperationError?

    init(incidents: [Incident] = IncidentFixtures.incidents) {
        self.incidents = Dictionary(uniqueKeysWithValues: incidents.map { ($0.id, $0) })
    }

    func failEveryCall(with error: IncidentOperationError?) {
        failure = error
    }

    func incidents(matching query: IncidentQuery) async throws(IncidentOperationError) -> [Incident] {
        try record(.list(query))
        let matching = incidents.values.filter { incident in
            (query.statuses.isEmpty || query.statuses.contains(incident.status))
                && (query.severities.isEmpty || query.severities.contains(incident.severity))
                && (query.openedSince.map { incident.openedAt >= $0 } ?? true)
        }
        return Array(matching.sorted { $0.openedAt > $1.openedAt }.prefix(query.limit))
    }

    func detail(of id: IncidentID) async throws(IncidentOperationError) -> IncidentDetail {
        try record(.detail(id))
        return IncidentFixtures.detail(of: try existing(id))
    }

    func acknowledge(_ id: IncidentID, by person: String) async throws(IncidentOperationError) -> Incident {
        try record(.acknowledge(id, by: person))
        return try change(id) { incident in
            incident.acknowledgedAt = Self.changedAt
            incident.acknowledgedBy = person
        }
    }

    func setStatus(
        _ id: IncidentID,
        to status: IncidentStatus,
        by person: String,
        note: String?
    ) async throws(IncidentOperationError) -> Incident {
        try record(.setStatus(id, status, by: person, note: note))
        return try change(id) { $0.status = status }
    }

    func resolve(
        _ id: IncidentID,
        by person: String,
        rootCause: String?,
        force: Bool
    ) async throws(IncidentOperationError) -> Incident {
        try record(.resolve(id, by: person, rootCause: rootCause, force: force))
        return try change(id) { incident in
            incident.status = .resolved
            incident.resolvedAt = Self.changedAt
            incident.resolvedBy = person
            incident.rootCause = rootCause
        }
    }

    func addNote(_ id: IncidentID, text: String, by person: String) async throws(IncidentOperationError) -> Incident {
        try record(.addNote(id, text: text, by: person))
        return try change(id) { $0.updatedAt = Self.changedAt }
    }

    func assignCommander(
        _ id: IncidentID,
        to commander: String,
        by person: String
    ) async throws(IncidentOperationError) -> Incident {
        try record(.assignCommander(id, to: commander, by: person))
        return try change(id) { $0.commander = commander }
    }

    func statistics(since: Date?) async throws(IncidentOperationError) -> [SeverityStatistics] {
        try record(.statistics(since: since))
        return IncidentFixtures.statistics
    }

    // MARK: - Helpers

    private func record(_ call: Call) throws(IncidentOperationError) {
        calls.append(call)
        if let failure { throw failure }
    }

    private func existing(_ id: IncidentID) throws(IncidentOperationError) -> Incident {
        guard let incident = incidents[id] else { throw .notFound(id) }
        return incident
    }

    private func change(_ id: IncidentID, _ edit: (inout Incident) -> Void) throws(IncidentOperationError) -> Incident {
        var incident = try existing(id)
        edit(&incident)
        incidents[id] = incident
        return incident
    }
}
