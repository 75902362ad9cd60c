import Foundation
import Shared

/// Where incidents, their timelines and snapshots, and the alerts behind them are kept across restarts.
///
/// Detection owns the truth about open incidents and alerts in memory and sends every change here in batches;
/// reads for operators come from here.
protocol IncidentStore: Sendable {
    /// What detection needs to carry on after a restart: open incidents, their alerts (pending ones too, with
    /// their timers), incidents resolved since `resolvedSince` (which may reopen) and the next free id.
    func loadRecovery(resolvedSince: Date) async throws -> DetectionRecovery

    /// Applies the changes in order, all or none, in one transaction.
    func apply(_ changes: [IncidentChange]) async throws

    /// Incidents matching the query, newest first.
    func incidents(matching query: IncidentQuery) async throws -> [Incident]

    func incident(_ id: IncidentID) async throws -> Incident?

    /// The incident's timeline, oldest first.
    func timeline(of id: IncidentID) async throws -> [TimelineEvent]

    /// The incident's snapshots: at open, and at peak once there is one.
    func snapshots(of id: IncidentID) async throws -> [IncidentSnapshot]

    /// The alerts that belong to the incident now.
    func alerts(of id: IncidentID) async throws -> [Alert]

    /// Counts, MTTA and MTTR per severity, over incidents opened since `since` (all when nil).
    func statistics(since: Date?) async throws -> [SeverityStatistics]

    /// The postmortem the incident owes, once it has one.
    func postmortem(of id: IncidentID) async throws -> PostmortemDraft?
}

extension IncidentStore {
    /// Stores that keep no postmortems answer none.
    func postmortem(of id: IncidentID) async throws -> PostmortemDraft? { nil }
}

/// One write to the incident store.
enum IncidentChange: Hashable, Sendable {
    /// Inserts the incident or replaces it whole.
    case saveIncident(Incident)
    case appendEvent(TimelineEvent)
    /// Inserts the snapshot or replaces the incident's snapshot of the same moment.
    case saveSnapshot(IncidentSnapshot)
    /// Inserts the alert or replaces the one with the same key.
    case saveAlert(Alert)
    case removeAlert(AlertKey)
}

/// What the store gives back at start-up.
struct DetectionRecovery: Sendable, Equatable {
    var openIncidents: [Incident] = []
    var alerts: [Alert] = []
    var recentlyResolved: [Incident] = []
    var nextIncidentID = IncidentID(1)
}

/// Which incidents to list.
struct IncidentQuery: Hashable, Sendable {
    /// Only these statuses; all when empty.
    var statuses: Set<IncidentStatus> = []
    /// Only these severities; all when empty.
    var severities: Set<Severity> = []
    /// Only incidents opened at or after this.
    var openedSince: Date?
    var limit = 100
}

/// One severity's line of the response report.
struct SeverityStatistics: Hashable, Sendable, Codable {
    var severity: Severity
    var incidents: Int
    var acknowledged: Int
    var resolved: Int
    /// Mean time from open to acknowledgement over the acknowledged incidents; nil when none is.
    var meanTimeToAcknowledgeSeconds: Double?
    /// Mean time from open to resolution over the resolved incidents; nil when none is.
    var meanTimeToResolveSeconds: Double?
}
