import Foundation
import GRDB
import Shared

/// A row of `escalationPage`: one step of one round of an incident's climb.
struct EscalationPageRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "escalationPage"

    enum Columns {
        static let incidentId = Column(CodingKeys.incidentId)
        static let pagedAt = Column(CodingKeys.pagedAt)
    }

    var incidentId: Int64
    var round: Int
    /// `EscalationPolicy.Target.rawValue`.
    var target: String
    var role: String
    var person: String?
    var severity: Int
    var dueAt: Date
    var pagedAt: Date
    /// `EscalationPage.Outcome.rawValue`.
    var outcome: String
    /// JSON list of channel names.
    var channels: String

    init(_ page: EscalationPage) throws(StorageError) {
        incidentId = page.incidentID.rawValue
        round = page.round
        target = page.target.rawValue
        role = page.role
        person = page.person
        severity = page.severity.rawValue
        dueAt = page.dueAt
        pagedAt = page.pagedAt
        outcome = page.outcome.rawValue
        channels = try StoredJSON.encode(page.channels, table: Self.databaseTableName, column: "channels")
    }

    func makePage() throws(StorageError) -> EscalationPage {
        let id = "\(incidentId)/\(round)/\(target)"
        guard let target = EscalationPolicy.Target(rawValue: target), let severity = Severity(rawValue: severity),
            let outcome = EscalationPage.Outcome(rawValue: outcome)
        else {
            throw .invalidRow(table: Self.databaseTableName, id: id, reason: "unknown target, severity or outcome")
        }
        return EscalationPage(
            incidentID: IncidentID(incidentId),
            round: round,
            target: target,
            role: role,
            person: person,
            severity: severity,
            dueAt: dueAt,
            pagedAt: pagedAt,
            outcome: outcome,
            channels: try StoredJSON.decode(
                [String].self,
                from: channels,
                table: Self.databaseTableName,
                id: id,
                column: "channels"
            )
        )
    }
}
