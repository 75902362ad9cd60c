/// Every report up to and including `seq` is in the coordinator's state and need not be sent again.
public struct ReportAck: Hashable, Sendable {
    public var seq: UInt64

    public init(seq: UInt64) { self.seq = seq }
}

/// A report the coordinator could not accept as it stands; the agent fixes what `reason` says and sends it again.
public struct ReportRefusal: Hashable, Sendable {
    public enum Reason: String, Hashable, Sendable, Codable {
        case unspecified
        /// A sample referred to a series id not declared on this connection; declare it and resend.
        case unknownSeries = "unknown_series"
    }

    public var seq: UInt64
    public var reason: Reason
    public var detail: String

    public init(seq: UInt64, reason: Reason, detail: String) {
        self.seq = seq
        self.reason = reason
        self.detail = detail
    }
}
