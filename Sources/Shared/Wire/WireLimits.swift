/// The bounds both ends of a connection enforce: frame size, frame completion time, silence and keepalive.
public struct WireLimits: Hashable, Sendable {
    /// The design's default: 1 MiB per frame.
    public static let defaultMaximumFrameBytes = 1 << 20

    /// The largest payload (after the 4-byte length) accepted or sent.
    public var maximumFrameBytes: Int
    /// A frame whose first byte has arrived must be complete within this time.
    public var frameDeadline: Duration
    /// A connection on which no complete frame arrives for this long is closed.
    public var idleTimeout: Duration
    /// A `Ping` is sent when nothing has been written for this long, so a quiet link still proves it is alive.
    public var pingInterval: Duration

    public init(
        maximumFrameBytes: Int = WireLimits.defaultMaximumFrameBytes,
        frameDeadline: Duration = .seconds(5),
        idleTimeout: Duration = .seconds(15),
        pingInterval: Duration = .seconds(5)
    ) {
        self.maximumFrameBytes = maximumFrameBytes
        self.frameDeadline = frameDeadline
        self.idleTimeout = idleTimeout
        self.pingInterval = pingInterval
    }
}
