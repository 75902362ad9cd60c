import Foundation

/// What became of a command on the agent.
public struct CommandResult: Hashable, Sendable {
    public enum Outcome: String, Hashable, Sendable, Codable, CaseIterable {
        case succeeded
        case failed
        /// The agent's policy does not allow it; `detail` says which rule.
        case refused
        /// It arrived after its expiry time and was not run.
        case expired
        /// This command id already ran on this agent; it was not run again.
        case duplicate
        /// The agent stopped while it ran; whether it took effect is not known.
        case unknown
    }

    public var commandID: String
    public var outcome: Outcome
    public var exitCode: Int32
    public var outputTail: String
    public var startedAt: Date
    public var finishedAt: Date
    public var detail: String

    public init(
        commandID: String,
        outcome: Outcome,
        exitCode: Int32 = 0,
        outputTail: String = "",
        startedAt: Date,
        finishedAt: Date,
        detail: String = ""
    ) {
        self.commandID = commandID
        self.outcome = outcome
        self.exitCode = exitCode
        self.outputTail = outputTail
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.detail = detail
    }
}
