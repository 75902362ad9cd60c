/// One observation of a series: a number, or a histogram's cumulative buckets.
public enum SampleValue: Hashable, Sendable {
    case number(Double)
    case histogram(HistogramValue)
}

/// A histogram observation: cumulative counts per bucket (the last one is `+Inf`) and the sum of observations.
public struct HistogramValue: Hashable, Sendable, Codable {
    /// One count per finite upper bound of the series, then one for `+Inf`; never decreasing.
    public var cumulativeCounts: [UInt64]
    public var sum: Double

    public init(cumulativeCounts: [UInt64], sum: Double) {
        self.cumulativeCounts = cumulativeCounts
        self.sum = sum
    }

    /// The number of observations, which is the `+Inf` bucket's count.
    public var count: UInt64 { cumulativeCounts.last ?? 0 }
}

/// A sample as a report carries it: which declared series, and its value.
public struct Sample: Hashable, Sendable {
    public var seriesID: SeriesID
    public var value: SampleValue

    public init(seriesID: SeriesID, value: SampleValue) {
        self.seriesID = seriesID
        self.value = value
    }
}

/// A sample together with the series it belongs to, as collectors produce it.
public struct MetricSample: Hashable, Sendable {
    public var series: SeriesDescriptor
    public var value: SampleValue

    public init(series: SeriesDescriptor, value: SampleValue) {
        self.series = series
        self.value = value
    }

    /// A gauge measurement, the most common kind.
    public static func gauge(_ name: String, _ value: Double, labels: [String: String] = [:]) -> MetricSample {
        MetricSample(series: SeriesDescriptor(name: name, labels: labels, kind: .gauge), value: .number(value))
    }

    /// A counter measurement: a running total.
    public static func counter(_ name: String, _ value: Double, labels: [String: String] = [:]) -> MetricSample {
        MetricSample(series: SeriesDescriptor(name: name, labels: labels, kind: .counter), value: .number(value))
    }
}
