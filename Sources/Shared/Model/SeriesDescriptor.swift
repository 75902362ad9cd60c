/// What a series is: its metric name, its labels, its kind and, for a histogram, its bucket bounds.
///
/// Two samples belong to the same series exactly when their descriptors are equal.
public struct SeriesDescriptor: Hashable, Sendable, Codable {
    public var name: String
    public var labels: [String: String]
    public var kind: SeriesKind
    /// Upper bounds of a histogram's finite buckets, ascending; `+Inf` is implied. Empty for other kinds.
    public var bucketUpperBounds: [Double]

    public init(name: String, labels: [String: String] = [:], kind: SeriesKind, bucketUpperBounds: [Double] = []) {
        self.name = name
        self.labels = labels
        self.kind = kind
        self.bucketUpperBounds = bucketUpperBounds
    }

    /// `name{a="1",b="2"}` with labels sorted, as Prometheus writes a series.
    public var displayName: String {
        guard !labels.isEmpty else { return name }
        let pairs = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }
        return "\(name){\(pairs.joined(separator: ","))}"
    }
}

/// How a series' values are to be read.
public enum SeriesKind: String, Hashable, Sendable, Codable {
    /// A value that goes up and down, read as it is.
    case gauge
    /// A monotonically increasing total; its rate is what matters.
    case counter
    /// Cumulative bucket counts and a sum, mergeable across nodes.
    case histogram
}

/// The small number by which a report refers to a series declared earlier on the same connection.
public struct SeriesID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    public var description: String { String(rawValue) }
}
