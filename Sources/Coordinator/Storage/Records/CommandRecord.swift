import Foundation
import GRDB
import Shared

/// A row of `command`: a `RemediationCommand` with its result spread over nullable columns.
struct CommandRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "command"

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let incidentId = Column(CodingKeys.incidentId)
        static let node = Column(CodingKeys.node)
        static let nodeSequence = Column(CodingKeys.nodeSequence)
        static let issuedAt = Column(CodingKeys.issuedAt)
        static let state = Column(CodingKeys.state)
    }

    var id: String
    var incidentId: Int64?
    var node: String
    /// `ActionName.rawValue`.
    var action: String
    /// A JSON object of parameter names to values.
    var parameters: String
    var isDryRun: Bool
    var issuer: String
    // SQLite integers are signed 64-bit; a node's sequence never gets near the sign bit.
    var nodeSequence: Int64
    var issuedAt: Date
    var expiresAt: Date
    /// `RemediationCommand.State.rawValue`.
    var state: String
    var attempts: Int64
    var lastSentAt: Date?
    /// `CommandResult.Outcome.rawValue`; nil until a result arrived.
    var resultOutcome: String?
    var resultExitCode: Int64?
    var resultOutputTail: String?
    var resultStartedAt: Date?
    var resultFinishedAt: Date?
    var resultDetail: String?
    var resultReceivedAt: Date?

    init(_ command: RemediationCommand) throws(StorageError) {
        id = command.id.rawValue
        incidentId = command.incidentID?.rawValue
        node = command.node.rawValue
        action = command.action.rawValue
        parameters = try StoredJSON.encode(command.parameters, table: Self.databaseTableName, column: "parameters")
        isDryRun = command.isDryRun
        issuer = command.issuer
        nodeSequence = Int64(clamping: command.nodeSequence)
        issuedAt = command.issuedAt
        expiresAt = command.expiresAt
        state = command.state.rawValue
        attempts = Int64(command.attempts)
        lastSentAt = command.lastSentAt
        resultOutcome = command.result?.outcome.rawValue
        resultExitCode = command.result.map { Int64($0.exitCode) }
        resultOutputTail = command.result?.outputTail
        resultStartedAt = command.result?.startedAt
        resultFinishedAt = command.result?.finishedAt
        resultDetail = command.result?.detail
        resultReceivedAt = command.result?.receivedAt
    }

    func makeCommand() throws(StorageError) -> RemediationCommand {
        guard let nodeID = NodeID(node) else { throw invalid("invalid node \(node)") }
        guard let actionName = ActionName(rawValue: action) else { throw invalid("unknown action \(action)") }
        guard let commandState = RemediationCommand.State(rawValue: state) else {
            throw invalid("unknown state \(state)")
        }
        return RemediationCommand(
            id: CommandID(id),
            incidentID: incidentId.map { IncidentID($0) },
            node: nodeID,
            action: actionName,
            parameters: try StoredJSON.decode(
                [String: String].self,
                from: parameters,
                table: Self.databaseTableName,
                id: id,
                column: "parameters"
            ),
            isDryRun: isDryRun,
            issuer: issuer,
            nodeSequence: UInt64(max(0, nodeSequence)),
            issuedAt: issuedAt,
            expiresAt: expiresAt,
            state: commandState,
            attempts: Int(clamping: attempts),
            lastSentAt: lastSentAt,
            result: try makeResult()
        )
    }

    private func makeResult() throws(StorageError) -> RemediationCommand.Result? {
        guard let resultOutcome else { return nil }
        guard let outcome = CommandResult.Outcome(rawValue: resultOutcome) else {
            throw invalid("unknown result outcome \(resultOutcome)")
        }
        guard let resultStartedAt, let resultFinishedAt, let resultReceivedAt else {
            throw invalid("a result without its times")
        }
        return RemediationCommand.Result(
            outcome: outcome,
            exitCode: Int32(clamping: resultExitCode ?? 0),
            outputTail: resultOutputTail ?? "",
            startedAt: resultStartedAt,
            finishedAt: resultFinishedAt,
            detail: resultDetail ?? "",
            receivedAt: resultReceivedAt
        )
    }

    private func invalid(_ reason: String) -> StorageError {
        .invalidRow(table: Self.databaseTableName, id: id, reason: reason)
    }
}

// MARK: - Requests

extension DerivableRequest<CommandRecord> {
    /// Commands still waiting for a result: pending or sent.
    func unfinished() -> Self {
        filter(
            [RemediationCommand.State.pending.rawValue, RemediationCommand.State.sent.rawValue]
                .contains(CommandRecord.Columns.state)
        )
    }

    /// Newest first; the id breaks ties between commands issued in the same millisecond.
    func newestFirst() -> Self {
        order(CommandRecord.Columns.issuedAt.desc, CommandRecord.Columns.id.desc)
    }
}
