/// Everything about one incident, as `vigil incident show` prints it.
struct IncidentDetail: Hashable, Sendable, Codable {
    var incident: Incident
    var alerts: [Alert]
    var snapshots: [IncidentSnapshot]
    var timeline: [TimelineEvent]
    /// The postmortem draft a resolved SEV-1 or SEV-2 owes, with its due date.
    var postmortem: PostmortemDraft? = nil
}
