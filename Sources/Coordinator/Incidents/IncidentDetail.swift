/// Everything about one incident, as `vigil incident show` prints it.
struct IncidentDetail: Hashable, Sendable, Codable {
    var incident: Incident
    var alerts: [Alert]
    var snapshots: [IncidentSnapshot]
    var timeline: [TimelineEvent]
}
