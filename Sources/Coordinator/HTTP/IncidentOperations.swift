import Foundation
import Shared

/// What the HTTP API lets operators do with incidents. Each change is on disk when the call returns.
protocol IncidentOperations: Sendable {
    func incidents(matching query: IncidentQuery) async throws(IncidentOperationError) -> [Incident]
    func detail(of id: IncidentID) async throws(IncidentOperationError) -> IncidentDetail
    func acknowledge(_ id: IncidentID, by person: String) async throws(IncidentOperationError) -> Incident
    func setStatus(
        _ id: IncidentID,
        to status: IncidentStatus,
        by person: String,
        note: String?
    ) async throws(IncidentOperationError) -> Incident
    /// Resolves the incident; refused while any of its alerts fires, unless `force`.
    func resolve(
        _ id: IncidentID,
        by person: String,
        rootCause: String?,
        force: Bool
    ) async throws(IncidentOperationError) -> Incident
    func addNote(_ id: IncidentID, text: String, by person: String) async throws(IncidentOperationError) -> Incident
    func assignCommander(
        _ id: IncidentID,
        to commander: String,
        by person: String
    ) async throws(IncidentOperationError) -> Incident
    func statistics(since: Date?) async throws(IncidentOperationError) -> [SeverityStatistics]
}
