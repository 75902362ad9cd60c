/// Detection as `/api/health` and `/api/v1/alerts` show it.
extension DetectionEngine: DetectionOverview {
    func status() async -> DetectionStatus {
        let alerts = currentAlerts
        let screened = await fleetScreenedSamples()
        return DetectionStatus(
            rules: rules.count,
            alertsPending: alerts.count { $0.state == .pending },
            alertsFiring: alerts.count { $0.state == .firing },
            openIncidents: book.open.count,
            unwrittenChanges: journal.pendingCount,
            latency: journal.latency.summary,
            screenedSamples: Dictionary(uniqueKeysWithValues: screened.map { ($0.key.rawValue, $0.value) })
        )
    }

    func alerts() async -> [Alert] { currentAlerts }
}
