import Foundation

/// Something that happened on a host between two reports (a process restarted, a collector went down).
public struct AgentEvent: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case processRestarted = "process_restarted"
        case oomKill = "oom_kill"
        case collectorDown = "collector_down"
        case collectorUp = "collector_up"
        case probeDown = "probe_down"
        case probeUp = "probe_up"
    }

    public var kind: Kind
    /// What the event is about: a process name, a collector, a probe.
    public var subject: String
    public var detail: String
    public var time: Date

    public init(kind: Kind, subject: String, detail: String = "", time: Date) {
        self.kind = kind
        self.subject = subject
        self.detail = detail
        self.time = time
    }
}
