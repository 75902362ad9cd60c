/// The outcome of one health probe (an HTTP check, a PING), sent with the report that ran it.
public struct ProbeResult: Hashable, Sendable, Codable {
    public var name: String
    public var isUp: Bool
    /// The protocol's status, such as an HTTP status code; 0 when there was none.
    public var statusCode: UInt32
    public var durationSeconds: Double
    /// Why the probe failed; empty when it succeeded.
    public var error: String
    public var labels: [String: String]

    public init(
        name: String,
        isUp: Bool,
        statusCode: UInt32 = 0,
        durationSeconds: Double = 0,
        error: String = "",
        labels: [String: String] = [:]
    ) {
        self.name = name
        self.isUp = isUp
        self.statusCode = statusCode
        self.durationSeconds = durationSeconds
        self.error = error
        self.labels = labels
    }
}
