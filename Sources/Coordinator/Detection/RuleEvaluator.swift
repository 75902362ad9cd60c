import Foundation
import Shared

/// Reads a rule's signal from the fleet's windows for each of its subjects. Pure: the same view and time give
/// the same readings.
enum RuleEvaluator {
    /// Which subjects to read.
    enum Subjects: Sendable, Equatable {
        case all
        /// After a report from this node: the node itself, its service and the fleet.
        case around(NodeID)

        func includes(_ key: AlertKey, scope: Rule.Scope, view: FleetView) -> Bool {
            guard case .around(let id) = self else { return true }
            switch scope {
            case .node: return key.subject == id.rawValue
            case .service: return key.subject == view.nodes[id]?.service
            case .fleet: return true
            }
        }
    }

    /// The rule's readings for the chosen subjects; a subject (or group) with no value has no reading.
    ///
    /// - Parameter silenceSince: silence is counted from no earlier than this (the coordinator's start), so a
    ///   restart never finds every node silent at once.
    static func measure(
        _ rule: Rule,
        in view: FleetView,
        subjects: Subjects,
        now: Date,
        silenceSince: Date
    ) -> [Measurement] {
        switch rule.scope {
        case .node:
            let nodes: [FleetView.Node]
            if case .around(let id) = subjects {
                nodes = view.nodes[id].map { [$0] } ?? []
            } else {
                nodes = Array(view.nodes.values)
            }
            return nodes.flatMap { node -> [Measurement] in
                if case .silence = rule.signal.aggregation {
                    return silence(rule, node, now: now, since: silenceSince).map { [$0] } ?? []
                }
                return measureGroups(rule, subject: node.id.rawValue, service: node.service, nodes: [node], now: now)
            }
        case .service:
            var services = Dictionary(grouping: view.nodes.values, by: \.service)
            if case .around(let id) = subjects {
                guard let service = view.nodes[id]?.service else { return [] }
                services = services.filter { $0.key == service }
            }
            return services.flatMap { service, nodes in
                measureGroups(rule, subject: service, service: service, nodes: nodes, now: now)
            }
        case .fleet:
            return measureGroups(
                rule,
                subject: FleetView.fleetService,
                service: FleetView.fleetService,
                nodes: Array(view.nodes.values),
                now: now
            )
        }
    }

    // MARK: - Groups

    /// One reading per combination of `groupBy` label values among the matching series (one in all without
    /// `groupBy`).
    private static func measureGroups(
        _ rule: Rule,
        subject: String,
        service: String,
        nodes: [FleetView.Node],
        now: Date
    ) -> [Measurement] {
        groups(of: rule, in: nodes).compactMap { group in
            var selector = rule.signal.selector
            selector.labels.merge(group) { _, exact in exact }
            let aggregate = ServiceAggregate(
                nodes: Dictionary(uniqueKeysWithValues: nodes.map { ($0.id, $0.windows) }),
                window: rule.signal.window,
                now: now
            )
            guard let value = read(rule.signal.aggregation, selector, aggregate) else { return nil }
            let holds = rule.comparison.holds(value, rule.threshold)
            return Measurement(
                key: AlertKey(rule: rule.name, subject: subject, group: group),
                service: service,
                value: value,
                holds: holds,
                nodes: affectedNodes(rule, selector, nodes, now: now)
            )
        }
    }

    /// The distinct `groupBy` label values among the series the rule reads; one empty group without `groupBy`.
    private static func groups(of rule: Rule, in nodes: [FleetView.Node]) -> [[String: String]] {
        guard !rule.groupBy.isEmpty else { return [[:]] }
        var found: Set<[String: String]> = []
        for node in nodes {
            for series in node.windows.keys where rule.signal.selector.matches(series) {
                let values = rule.groupBy.compactMap { label in series.labels[label].map { (label, $0) } }
                guard values.count == rule.groupBy.count else { continue }
                found.insert(Dictionary(uniqueKeysWithValues: values))
            }
        }
        return Array(found)
    }

    /// A single node's value alone, for the nodes of a service-wide reading.
    private static func affectedNodes(
        _ rule: Rule,
        _ selector: SeriesSelector,
        _ nodes: [FleetView.Node],
        now: Date
    ) -> [NodeID] {
        guard nodes.count > 1 else { return nodes.map(\.id) }
        var measured: [NodeID] = []
        var crossing: [NodeID] = []
        for node in nodes {
            let aggregate = ServiceAggregate(nodes: [node.id: node.windows], window: rule.signal.window, now: now)
            guard let value = read(rule.signal.aggregation, selector, aggregate) else { continue }
            measured.append(node.id)
            if rule.comparison.holds(value, rule.threshold) { crossing.append(node.id) }
        }
        return (crossing.isEmpty ? measured : crossing).sorted()
    }

    private static func read(
        _ aggregation: Signal.Aggregation,
        _ selector: SeriesSelector,
        _ aggregate: ServiceAggregate
    ) -> Double? {
        switch aggregation {
        case .min: aggregate.gauge(selector)?.min
        case .max: aggregate.gauge(selector)?.max
        case .mean: aggregate.gauge(selector)?.mean
        case .rate: aggregate.rate(of: selector)
        case .increase: aggregate.increase(of: selector)
        case .ratio(let denominator, let minimum):
            aggregate.ratio(of: selector, to: denominator, minimumDenominator: minimum)
        case .quantile(let q, let minimumCount):
            aggregate.mergedIncrease(of: selector).flatMap { histogram in
                Double(histogram.count) >= Swift.max(1, minimumCount) ? histogram.quantile(q) : nil
            }
        case .downFraction: aggregate.downFraction(of: selector)
        case .silence: nil
        }
    }

    // MARK: - Silence

    private static func silence(_ rule: Rule, _ node: FleetView.Node, now: Date, since start: Date) -> Measurement? {
        let heard = Swift.max(node.lastHeardAt ?? start, start)
        let value = Swift.max(0, now.timeIntervalSince(heard))
        return Measurement(
            key: AlertKey(rule: rule.name, subject: node.id.rawValue),
            service: node.service,
            value: value,
            holds: rule.comparison.holds(value, rule.threshold),
            nodes: [node.id]
        )
    }
}
