import Foundation

/// The `signal` of a rule entry: which series, how they become one number, over how long.
extension RuleFile {
    static let signalKeys = [
        "metric", "labels", "aggregation", "denominator", "minimum_denominator", "minimum_count", "window_seconds",
    ]

    /// What a ratio or quantile needs at least before it has a value, unless the rule says otherwise.
    static let defaultMinimum = 20.0

    /// The aggregations as a rule file writes them, for messages.
    static let aggregationNames =
        "min, max, mean, rate, increase, ratio, p50, p90, p95, p99 or any pNN, down_fraction, silence"

    /// How the file names an aggregation, before the ratio's or the quantile's parameters are known.
    private enum Choice {
        case plain(Signal.Aggregation)
        case ratio
        case quantile(Double)

        init(_ aggregation: Signal.Aggregation) {
            switch aggregation {
            case .ratio: self = .ratio
            case .quantile(let q, _): self = .quantile(q)
            default: self = .plain(aggregation)
            }
        }

        /// As the file writes it: `max`, `ratio`, `p95`.
        var name: String {
            let aggregation: Signal.Aggregation =
                switch self {
                case .plain(let aggregation): aggregation
                case .ratio: .ratio(denominator: [], minimumDenominator: 0)
                case .quantile(let q): .quantile(q, minimumCount: 0)
                }
            return Signal(selector: SeriesSelector(name: ""), aggregation: aggregation, window: .zero).aggregationName
        }
    }

    /// A signal from its fields, or `base` with the fields given replacing its own. The parameters of an
    /// aggregation (denominator, minimums) carry over from `base` only while the kind of aggregation stays.
    static func signal(_ field: ConfigurationField, base: Signal?) throws(CoordinatorConfigurationError) -> Signal {
        let fields = try field.entries(allowed: signalKeys)
        let choice: Choice
        if let aggregation = fields["aggregation"] {
            choice = try self.choice(aggregation)
        } else if let base {
            choice = Choice(base.aggregation)
        } else {
            throw field.error("signal.aggregation is required (one of \(aggregationNames))")
        }
        var selector = base?.selector ?? SeriesSelector(name: "")
        if let metric = fields["metric"] {
            selector.name = try metricName(metric)
        } else if base == nil {
            guard case .plain(.silence) = choice else { throw field.error("signal.metric is required") }
            // Silence reads no series; the name only labels the value.
            selector.name = "node_silence_seconds"
        }
        if let labels = fields["labels"] { selector.labels = try self.labels(labels) }
        let window = try fields["window_seconds"]?.seconds(allowingZero: false) ?? base?.window ?? .seconds(60)
        let aggregation = try parameters(of: choice, fields: fields, base: base?.aggregation, at: field)
        return Signal(selector: selector, aggregation: aggregation, window: window)
    }

    private static func parameters(
        of choice: Choice,
        fields: [String: ConfigurationField],
        base: Signal.Aggregation?,
        at field: ConfigurationField
    ) throws(CoordinatorConfigurationError) -> Signal.Aggregation {
        var misplaced = ["denominator", "minimum_denominator", "minimum_count"]
        switch choice {
        case .ratio: misplaced.removeAll { $0 != "minimum_count" }
        case .quantile: misplaced.removeAll { $0 == "minimum_count" }
        case .plain: break
        }
        if let key = misplaced.first(where: { fields[$0] != nil }), let culprit = fields[key] {
            let applies = key == "minimum_count" ? "quantiles such as p95" : "aggregation ratio"
            throw culprit.error("signal.\(key) applies only to \(applies), not to \(choice.name)")
        }
        switch choice {
        case .plain(let aggregation):
            return aggregation
        case .ratio:
            var denominator: [SeriesSelector]?
            var minimum = defaultMinimum
            if case .ratio(let baseDenominator, let baseMinimum) = base {
                denominator = baseDenominator
                minimum = baseMinimum
            }
            if let given = fields["denominator"] { denominator = try denominators(given) }
            if let given = fields["minimum_denominator"] { minimum = try self.minimum(given) }
            guard let denominator else {
                throw (fields["aggregation"] ?? field).error("signal.denominator is required with aggregation ratio")
            }
            return .ratio(denominator: denominator, minimumDenominator: minimum)
        case .quantile(let q):
            var minimum = defaultMinimum
            if case .quantile(_, let baseMinimum) = base { minimum = baseMinimum }
            if let given = fields["minimum_count"] { minimum = try self.minimum(given) }
            return .quantile(q, minimumCount: minimum)
        }
    }

    // MARK: - Fields

    private static func choice(_ field: ConfigurationField) throws(CoordinatorConfigurationError) -> Choice {
        let text = try field.text()
        switch text {
        case "min": return .plain(.min)
        case "max": return .plain(.max)
        case "mean": return .plain(.mean)
        case "rate": return .plain(.rate)
        case "increase": return .plain(.increase)
        case "down_fraction": return .plain(.downFraction)
        case "silence": return .plain(.silence)
        case "ratio": return .ratio
        default:
            guard let q = quantile(text) else {
                throw field.error("signal.aggregation \"\(text)\" is unknown (known: \(aggregationNames))")
            }
            guard q > 0, q < 1 else {
                throw field.error("signal.aggregation \"\(text)\": a quantile must be above p0 and below p100")
            }
            return .quantile(q)
        }
    }

    /// The quantile of `p95` (0.95) or `p99.9` (0.999), read from the decimal text so that it is the same number as
    /// the literal 0.999; nil unless the text is `p` and a decimal number.
    static func quantile(_ text: String) -> Double? {
        guard text.hasPrefix("p") else { return nil }
        let parts = text.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        let digits = Set("0123456789")
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(digits.contains) })
        else { return nil }
        let whole = parts[0].drop { $0 == "0" }
        guard whole.count <= 2 else { return 1 }
        let padded = String(repeating: "0", count: 2 - whole.count) + whole
        return Double("0.\(padded)\(parts.count == 2 ? parts[1] : "")")
    }

    private static func metricName(_ field: ConfigurationField) throws(CoordinatorConfigurationError) -> String {
        let name = try field.text().trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw field.error("\(field.path) must not be empty") }
        return name
    }

    private static func labels(_ field: ConfigurationField) throws(CoordinatorConfigurationError) -> [String: String] {
        var labels: [String: String] = [:]
        for entry in try field.pairs() {
            guard isIdentifier(entry.name, extra: "", maximumLength: .max, allowsLeadingUnderscore: true) else {
                throw entry.key.error("\(field.path): \"\(entry.name)\" is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)")
            }
            labels[entry.name] = try entry.value.text()
        }
        return labels
    }

    /// One metric name, a list of them, or `{metric, labels}` mappings: the series whose increases are summed.
    private static func denominators(
        _ field: ConfigurationField
    ) throws(CoordinatorConfigurationError) -> [SeriesSelector] {
        var selectors: [SeriesSelector] = []
        for item in field.items() {
            guard item.isMapping else {
                selectors.append(SeriesSelector(name: try metricName(item)))
                continue
            }
            let fields = try item.entries(allowed: ["metric", "labels"])
            guard let metric = fields["metric"] else { throw item.error("\(item.path) needs a metric") }
            var selector = SeriesSelector(name: try metricName(metric))
            if let labels = fields["labels"] { selector.labels = try self.labels(labels) }
            selectors.append(selector)
        }
        guard !selectors.isEmpty else { throw field.error("\(field.path) must name at least one metric") }
        return selectors
    }

    private static func minimum(_ field: ConfigurationField) throws(CoordinatorConfigurationError) -> Double {
        let value = try field.number()
        guard value.isFinite, value >= 0 else { throw field.error("\(field.path) must be a number of 0 or more") }
        return value
    }
}
