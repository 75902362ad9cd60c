/// What escalation reads of incidents: the open ones, once their changes are on disk (a page's rows refer to
/// the incident's row), and any one incident by id.
protocol EscalationContext: Sendable {
    func openIncidentsForEscalation() async throws -> [Incident]
    func incidentForEscalation(_ id: IncidentID) async throws -> Incident?
}
