import Foundation
import Logging
import ServiceLifecycle
import Shared

/// Runs the rules: after each report for the rules that read what it carried, and on a ticker for every rule
/// (timers, silence). Turns alert transitions into incident changes and hands them to the journal.
///
/// Alerts and open incidents live here, in memory, and are the truth; the store follows through the journal.
actor DetectionEngine: Service {
    let rules: [Rule]
    let settings: DetectionSettings
    private let rulesByName: [RuleName: Rule]
    private let rulesBySeries: [String: [Rule]]
    private let fleet: FleetState
    let journal: IncidentJournal
    let store: any IncidentStore
    /// Silence counts from no earlier than this, so a restart does not find every node silent.
    private let startedAt: Date
    private var alerts: [RuleName: [AlertKey: Alert]] = [:]
    var book: IncidentBook
    let logger: Logger

    init(
        rules: [Rule],
        settings: DetectionSettings,
        fleet: FleetState,
        journal: IncidentJournal,
        store: any IncidentStore,
        recovery: DetectionRecovery,
        startedAt: Date = Date(),
        logger: Logger
    ) {
        self.rules = rules
        self.settings = settings
        rulesByName = Dictionary(rules.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var bySeries: [String: [Rule]] = [:]
        for rule in rules {
            for name in rule.signal.seriesNames { bySeries[name, default: []].append(rule) }
        }
        rulesBySeries = bySeries
        self.fleet = fleet
        self.journal = journal
        self.store = store
        self.startedAt = startedAt
        book = IncidentBook(settings: settings, recovery: recovery, now: startedAt)
        for alert in recovery.alerts where rulesByName[alert.key.rule] != nil {
            alerts[alert.key.rule, default: [:]][alert.key] = alert
        }
        var logger = logger
        logger[metadataKey: MetadataKeys.component] = "detection"
        self.logger = logger
    }

    /// Evaluates every rule once per `evaluationInterval` until shutdown.
    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { [interval = settings.evaluationInterval] in
                    try await Task.sleep(for: interval)
                }
            } catch {
                break
            }
            await evaluateAll(now: Date())
        }
    }

    // MARK: - Evaluation

    /// After a report from `node`: the rules reading any of the report's series, for that node, its service and
    /// the fleet.
    func reportAccepted(from node: NodeID, seriesNames: Set<String>, receivedAt: Date) async {
        var selected: [RuleName: Rule] = [:]
        for name in seriesNames {
            for rule in rulesBySeries[name] ?? [] { selected[rule.name] = rule }
        }
        guard !selected.isEmpty else { return }
        // Fleet-wide rules need every node; the others only the node's own service.
        let view =
            selected.values.contains { $0.scope == .fleet }
            ? await fleet.view() : await fleet.view(ofServiceOf: node)
        let changes = evaluate(selected.values.sorted { $0.name < $1.name }, .around(node), view, now: receivedAt)
        record(changes, reportReceivedAt: receivedAt)
    }

    /// Every rule for every subject, then the incidents' own clocks.
    func evaluateAll(now: Date) async {
        let view = await fleet.view()
        var changes = evaluate(rules, .all, view, now: now)
        changes += book.tick(now: now)
        record(changes, reportReceivedAt: nil)
    }

    private func evaluate(
        _ rules: [Rule],
        _ subjects: RuleEvaluator.Subjects,
        _ view: FleetView,
        now: Date
    ) -> [IncidentChange] {
        var changes: [IncidentChange] = []
        for rule in rules {
            let readings = RuleEvaluator.measure(rule, in: view, subjects: subjects, now: now, silenceSince: startedAt)
            var holding: [AlertKey: Measurement] = [:]
            var measured: Set<AlertKey> = []
            for reading in readings {
                measured.insert(reading.key)
                if reading.holds { holding[reading.key] = reading }
            }
            let current = alerts[rule.name] ?? [:]
            var keys = Set(holding.keys)
            for key in current.keys where subjects.includes(key, scope: rule.scope, view: view) { keys.insert(key) }
            for key in keys.sorted() {
                let candidate = holding[key].map { makeAlert(rule, $0, now: now) }
                changes += step(rule, key, current[key], candidate, hasReading: measured.contains(key), now: now)
            }
        }
        return changes
    }

    private func step(
        _ rule: Rule,
        _ key: AlertKey,
        _ old: Alert?,
        _ measured: Alert?,
        hasReading: Bool,
        now: Date
    ) -> [IncidentChange] {
        var (alert, transition) = Alert.step(
            old,
            measured: measured,
            hasReading: hasReading,
            forDuration: rule.forDuration,
            clearFor: rule.clearFor,
            noDataGrace: rule.signal.window,
            now: now
        )
        var changes: [IncidentChange] = []
        switch transition {
        case .none:
            if let alert, alert.state == .firing { changes += book.alertUpdated(alert, now: now) }
        case .becamePending:
            if let alert { changes.append(.saveAlert(alert)) }
        case .abandoned:
            changes.append(.removeAlert(key))
        case .fired:
            guard var fired = alert else { break }
            changes += book.alertFired(&fired, now: now)
            changes.append(.saveAlert(fired))
            alert = fired
            logFired(fired)
        case .clearing, .recovered:
            if let alert {
                changes.append(.saveAlert(alert))
                changes += book.alertUpdated(alert, now: now)
            }
        case .resolved:
            if let old { changes += book.alertResolved(old, now: now) }
            changes.append(.removeAlert(key))
            logger.debug("alert resolved", metadata: [MetadataKeys.alertKey: "\(key)"])
        }
        alerts[rule.name, default: [:]][key] = alert
        return changes
    }

    private func makeAlert(_ rule: Rule, _ reading: Measurement, now: Date) -> Alert {
        var values = reading.key.group
        values["value"] = SignalFormat.format(reading.value, for: rule.signal)
        values["threshold"] = SignalFormat.format(rule.threshold, for: rule.signal)
        values["subject"] = reading.key.subject
        values["service"] = reading.service
        values["node"] = reading.nodes.map(\.rawValue).joined(separator: ", ")
        return Alert(
            key: reading.key,
            kind: rule.kind,
            severity: rule.severity,
            service: reading.service,
            state: .pending,
            activeSince: now,
            value: reading.value,
            comparison: rule.comparison,
            threshold: rule.threshold,
            summary: SummaryTemplate.render(rule.summary, values: values),
            nodes: reading.nodes
        )
    }

    /// Hands changes to the journal; the report's arrival is noted when they open or reopen an incident.
    private func record(_ changes: [IncidentChange], reportReceivedAt: Date?) {
        guard !changes.isEmpty else { return }
        var opens = false
        // Every change is looked at: one evaluation can open one incident and resolve another.
        for change in changes {
            switch change {
            case .appendEvent(let event) where event.kind == .opened || event.kind == .reopened:
                opens = true
                logger.info(
                    event.kind == .opened ? "incident opened" : "incident reopened",
                    metadata: [MetadataKeys.incidentID: "\(event.incidentID)", MetadataKeys.reason: "\(event.message)"]
                )
            case .saveIncident(let incident) where incident.status == .resolved:
                logger.info("incident resolved", metadata: [MetadataKeys.incidentID: "\(incident.id)"])
            default:
                break
            }
        }
        journal.append(changes, openedByReportReceivedAt: opens ? reportReceivedAt : nil)
    }

    private func logFired(_ alert: Alert) {
        logger.debug(
            "alert firing",
            metadata: [
                MetadataKeys.alertKey: "\(alert.key)", MetadataKeys.severity: "\(alert.severity)",
                MetadataKeys.incidentID: "\(alert.incidentID.map(\.description) ?? "-")",
            ]
        )
    }

    /// Every alert kept now (pending and firing), for tests and the API.
    var currentAlerts: [Alert] {
        alerts.values.flatMap(\.values).sorted { $0.key < $1.key }
    }

    func rule(named name: RuleName) -> Rule? { rulesByName[name] }

    func fleetScreenedSamples() async -> [SampleScreen.Reason: UInt64] { await fleet.screenedSamples }

    func fleetView() async -> FleetView { await fleet.view() }
}
