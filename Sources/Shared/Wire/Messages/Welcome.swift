/// The coordinator's acceptance of a session, with the terms the agent follows.
public struct Welcome: Hashable, Sendable {
    public var version: ProtocolVersion
    public var reportInterval: Duration
    public var serverTimeUnixMilliseconds: Int64
    /// The highest report seq the coordinator accepted from this node; the agent numbers new reports above it.
    public var lastReceivedSeq: UInt64
    public var maximumFrameBytes: UInt32
    public var pingInterval: Duration

    public init(
        version: ProtocolVersion = .current,
        reportInterval: Duration,
        serverTimeUnixMilliseconds: Int64,
        lastReceivedSeq: UInt64,
        maximumFrameBytes: UInt32,
        pingInterval: Duration
    ) {
        self.version = version
        self.reportInterval = reportInterval
        self.serverTimeUnixMilliseconds = serverTimeUnixMilliseconds
        self.lastReceivedSeq = lastReceivedSeq
        self.maximumFrameBytes = maximumFrameBytes
        self.pingInterval = pingInterval
    }
}
