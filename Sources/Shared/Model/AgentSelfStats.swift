/// The agent's account of itself, in every report: its own cost and the state of its report buffer.
public struct AgentSelfStats: Hashable, Sendable, Codable {
    public var residentMemoryBytes: UInt64
    public var cpuSeconds: Double
    public var bufferedReports: UInt32
    public var bufferedBytes: UInt64
    /// Reports dropped, oldest first, because the buffer was full while the coordinator was unreachable.
    public var droppedReports: UInt64
    public var reconnects: UInt32
    /// Samples left out because their series would have exceeded the agent's series limit: a runaway label.
    public var droppedSamples: UInt64

    public init(
        residentMemoryBytes: UInt64 = 0,
        cpuSeconds: Double = 0,
        bufferedReports: UInt32 = 0,
        bufferedBytes: UInt64 = 0,
        droppedReports: UInt64 = 0,
        reconnects: UInt32 = 0,
        droppedSamples: UInt64 = 0
    ) {
        self.residentMemoryBytes = residentMemoryBytes
        self.cpuSeconds = cpuSeconds
        self.bufferedReports = bufferedReports
        self.bufferedBytes = bufferedBytes
        self.droppedReports = droppedReports
        self.reconnects = reconnects
        self.droppedSamples = droppedSamples
    }
}
