import Shared

/// Which of an application's Prometheus series feed Vigil's signals, and how they are combined.
///
/// Counters are sent as raw totals and the latency histogram as cumulative buckets, summed across the
/// matching series, so the coordinator can compute rates and ratios and merge histograms across nodes.
struct PrometheusSignalMapping: Sendable {
    /// A family name and label patterns its series must match in full, as Prometheus' `=~` does (a label the
    /// series lacks matches as the empty string).
    struct Selector: Sendable {
        var metric: String
        /// Label name to pattern; every pattern is known to compile.
        var match: [String: String]

        /// Throws naming the first label whose pattern is not a regular expression.
        init(metric: String, match: [String: String] = [:]) throws(InvalidPattern) {
            for (label, pattern) in match.sorted(by: { $0.key < $1.key }) {
                do {
                    _ = try Regex(pattern)
                } catch {
                    throw InvalidPattern(label: label, pattern: pattern)
                }
            }
            self.metric = metric
            self.match = match
        }

        func matches(_ labels: [String: String]) -> Bool { SeriesMatcher(match).matches(labels) }
    }

    /// A label pattern that does not compile.
    struct InvalidPattern: Error {
        var label: String
        var pattern: String
    }

    /// A gauge sent as `app_<outputName>`.
    struct Gauge: Sendable {
        var selector: Selector
        var outputName: String
    }

    var requests: Selector?
    var errors: Selector?
    var latency: Selector?
    var syncAttempts: Selector?
    var syncFailures: Selector?
    var gauges: [Gauge] = []

    /// The output names the fixed signals use; a gauge's `app_<as>` must not take one of them.
    static let fixedOutputNames: Set<String> = [
        "app_requests_total", "app_request_errors_total", "app_request_duration_seconds", "app_sync_attempts_total",
        "app_sync_failures_total",
    ]

    /// The signals `page` yields, each labelled with `labels`.
    ///
    /// A configured family absent from the page yields nothing (an application creates series as it serves).
    /// A present counter family whose series all fail the match yields 0: that is the true count so far, and
    /// it keeps an error ratio defined. A gauge is the sum of its matching series, so several matches add up.
    /// `NaN` samples count as no value. An untyped family (no `# TYPE` line) is taken as the counter or gauge
    /// the config says it is; a family typed as something else is refused.
    func signals(from page: PrometheusPage, labels: [String: String]) throws(PrometheusMappingError) -> [MetricSample] {
        var samples: [MetricSample] = []
        let counters: [(String, String, Selector?)] = [
            ("requests", "app_requests_total", requests),
            ("errors", "app_request_errors_total", errors),
            ("sync_attempts", "app_sync_attempts_total", syncAttempts),
            ("sync_failures", "app_sync_failures_total", syncFailures),
        ]
        for (signal, outputName, selector) in counters {
            guard let selector,
                let found = try total(selector, signal: signal, in: page, accepting: [.counter, .untyped])
            else { continue }
            samples.append(.counter(outputName, found ?? 0, labels: labels))
        }
        if let latency, let histogram = try histogram(latency, in: page, labels: labels) {
            samples.append(histogram)
        }
        for gauge in gauges {
            let signal = "gauges." + gauge.outputName
            guard let found = try total(gauge.selector, signal: signal, in: page, accepting: [.gauge, .untyped]),
                let sum = found
            else { continue }
            samples.append(.gauge("app_" + gauge.outputName, sum, labels: labels))
        }
        return samples
    }

    /// Nil when the family is absent; `.some(nil)` when it is present but no series matches.
    private func total(
        _ selector: Selector,
        signal: String,
        in page: PrometheusPage,
        accepting types: Set<PrometheusMetricType>
    ) throws(PrometheusMappingError) -> Double?? {
        guard let family = page[selector.metric] else { return nil }
        guard types.contains(family.type) else {
            throw .wrongType(
                signal: signal,
                metric: family.name,
                found: family.type,
                expected: types.contains(.gauge) ? "gauge" : "counter"
            )
        }
        let matcher = SeriesMatcher(selector.match)
        let values = family.samples.filter { $0.name == family.name && !$0.value.isNaN && matcher.matches($0.labels) }
        return .some(values.isEmpty ? nil : values.reduce(0) { $0 + $1.value })
    }

    /// The matching series of a histogram family merged into one: bounds all of them have, counts and sums added.
    private func histogram(
        _ selector: Selector,
        in page: PrometheusPage,
        labels: [String: String]
    ) throws(PrometheusMappingError) -> MetricSample? {
        guard let family = page[selector.metric] else { return nil }
        guard family.type == .histogram else {
            throw .wrongType(signal: "latency", metric: family.name, found: family.type, expected: "histogram")
        }
        let matcher = SeriesMatcher(selector.match)
        var bucketsBySeries: [[String: String]: [Double: Double]] = [:]
        var sumBySeries: [[String: String]: Double] = [:]
        for sample in family.samples {
            var series = sample.labels
            let bound = series.removeValue(forKey: "le")
            guard matcher.matches(series) else { continue }
            switch sample.name {
            case family.name + "_bucket":
                if let upper = bound.flatMap(PrometheusTextParser.value) {
                    bucketsBySeries[series, default: [:]][upper] = sample.value
                }
            case family.name + "_sum":
                sumBySeries[series] = sample.value
            default:
                break
            }
        }
        guard let first = bucketsBySeries.values.first else { return nil }
        // Adding cumulative counts is exact only at bounds every series has; others are left out.
        var bounds = Set(first.keys)
        for buckets in bucketsBySeries.values { bounds.formIntersection(buckets.keys) }
        // A -Inf bucket adds nothing a percentile could use, and Vigil's wire format has no place for it.
        let ordered = bounds.filter { $0 > -.infinity }.sorted()
        // With only +Inf left there is a count but no latency distribution: nothing to send.
        guard ordered.contains(where: \.isFinite), ordered.last == .infinity else { return nil }
        var counts: [UInt64] = []
        for bound in ordered {
            var total: UInt64 = 0
            for buckets in bucketsBySeries.values {
                let value = buckets[bound] ?? 0
                guard value.isFinite, value >= 0, value < 0x1p63 else {
                    throw .badHistogram(
                        metric: family.name,
                        reason: "bucket le=\"\(Self.text(bound))\" holds \(value), not a count"
                    )
                }
                total &+= UInt64(value.rounded())
            }
            if let previous = counts.last, total < previous {
                throw .badHistogram(
                    metric: family.name,
                    reason: "cumulative counts decrease at le=\"\(Self.text(bound))\""
                )
            }
            counts.append(total)
        }
        let finiteBounds = ordered.filter(\.isFinite)
        guard counts.count == finiteBounds.count + 1 else { return nil }
        let sum = bucketsBySeries.keys.reduce(0.0) { $0 + (sumBySeries[$1] ?? 0) }
        return MetricSample(
            series: SeriesDescriptor(
                name: "app_request_duration_seconds",
                labels: labels,
                kind: .histogram,
                bucketUpperBounds: finiteBounds
            ),
            value: .histogram(HistogramValue(cumulativeCounts: counts, sum: sum))
        )
    }

    private static func text(_ bound: Double) -> String { bound == .infinity ? "+Inf" : "\(bound)" }
}

/// A selector's patterns compiled for one mapping pass (`Regex` values cannot cross tasks, so none is kept).
private struct SeriesMatcher {
    private var patterns: [(label: String, regex: Regex<AnyRegexOutput>?)]

    init(_ match: [String: String]) {
        // `Selector` compiled each pattern once already; one that fails now matches nothing rather than all.
        patterns = match.map { label, pattern in (label, try? Regex(pattern)) }
    }

    func matches(_ labels: [String: String]) -> Bool {
        patterns.allSatisfy { label, regex in
            // A regex built from text has no custom components, so matching itself cannot throw.
            guard let regex else { return false }
            return (try? regex.wholeMatch(in: labels[label] ?? "")) != nil
        }
    }
}

/// Why a page's families cannot be mapped as configured.
enum PrometheusMappingError: Error, Equatable, CustomStringConvertible {
    case wrongType(signal: String, metric: String, found: PrometheusMetricType, expected: String)
    case badHistogram(metric: String, reason: String)

    var description: String {
        switch self {
        case .wrongType(let signal, let metric, let found, let expected):
            "\(signal): \(metric) is a \(found.rawValue), expected a \(expected)"
        case .badHistogram(let metric, let reason): "latency: histogram \(metric): \(reason)"
        }
    }
}
