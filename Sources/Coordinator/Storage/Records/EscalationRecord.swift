import Foundation
import GRDB
import Shared

/// A row of `escalation`: one incident's climb, without its pages.
struct EscalationRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "escalation"

    enum Columns {
        static let resolutionSent = Column(CodingKeys.resolutionSent)
    }

    var incidentId: Int64
    var round: Int
    var clockStartedAt: Date
    var severity: Int
    var heldBySilence: String?
    var acknowledgementSent: Bool
    var resolutionSent: Bool
    var updatedAt: Date

    init(_ state: EscalationState) {
        incidentId = state.incidentID.rawValue
        round = state.round
        clockStartedAt = state.clockStartedAt
        severity = state.severity.rawValue
        heldBySilence = state.heldBySilence?.rawValue
        acknowledgementSent = state.acknowledgementSent
        resolutionSent = state.resolutionSent
        updatedAt = state.updatedAt
    }

    func makeState(pages: [EscalationPageRecord]) throws(StorageError) -> EscalationState {
        guard let severity = Severity(rawValue: severity) else {
            throw .invalidRow(table: Self.databaseTableName, id: "\(incidentId)", reason: "severity \(self.severity)")
        }
        var paged: Set<EscalationPolicy.Target> = []
        var reached: [String] = []
        var channels: [String] = []
        for page in pages {
            let pageChannels = (try? StoredJSON.decode(
                [String].self, from: page.channels, table: EscalationPageRecord.databaseTableName,
                id: "\(incidentId)", column: "channels"
            )) ?? []
            for channel in pageChannels where !channels.contains(channel) { channels.append(channel) }
            if page.round == round, let target = EscalationPolicy.Target(rawValue: page.target) { paged.insert(target) }
            if page.outcome == EscalationPage.Outcome.paged.rawValue, let person = page.person,
                !reached.contains(person)
            {
                reached.append(person)
            }
        }
        var state = EscalationState(
            incidentID: IncidentID(incidentId),
            round: round,
            clockStartedAt: clockStartedAt,
            severity: severity,
            heldBySilence: heldBySilence.map { SilenceID($0) },
            acknowledgementSent: acknowledgementSent,
            resolutionSent: resolutionSent,
            paged: paged,
            reached: reached,
            updatedAt: updatedAt
        )
        state.channels = channels
        return state
    }
}
