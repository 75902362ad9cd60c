import Foundation
import Logging
import Shared

/// What the agents' sessions tell the dispatcher, and the expiry tick: how a command ends.
extension CommandDispatcher: CommandChannel {
    /// Re-sends every waiting, unexpired command of the node, in node-sequence order.
    func agentConnected(_ node: NodeID) async {
        let time = now()
        let due = waiting.values.filter { $0.node == node && $0.expiresAt > time }
            .sorted { $0.nodeSequence < $1.nodeSequence }
        for command in due { await send(command.id, at: time) }
    }

    func agentDisconnected(_ node: NodeID) async {
        let left = waiting.values.count { $0.node == node }
        if left > 0 {
            logger.debug(
                "node left with commands waiting",
                metadata: [MetadataKeys.nodeID: "\(node)", MetadataKeys.count: "\(left)"]
            )
        }
    }

    func commandResultArrived(_ result: CommandResult, from node: NodeID) async {
        let id = CommandID(result.commandID)
        let receivedAt = now()
        guard var command = waiting[id] else {
            await ignoreResult(result, for: id, from: node)
            return
        }
        guard command.node == node else {
            counters.misdirectedResults += 1
            logger.warning(
                "command result from another node ignored",
                metadata: [MetadataKeys.commandID: "\(id)", MetadataKeys.nodeID: "\(node)"]
            )
            return
        }
        waiting[id] = nil
        command.state = .finished
        command.result = RemediationCommand.Result(
            outcome: result.outcome,
            exitCode: result.exitCode,
            outputTail: result.outputTail,
            startedAt: result.startedAt,
            finishedAt: result.finishedAt,
            detail: result.detail,
            receivedAt: receivedAt
        )
        logger.info(
            "command finished",
            metadata: [
                MetadataKeys.commandID: "\(id)", MetadataKeys.nodeID: "\(node)",
                MetadataKeys.outcome: "\(result.outcome.rawValue)",
            ]
        )
        await finish(command, entry(command, .result, actor: node.rawValue, detail: command.outcomeText))
    }

    /// Expires every waiting command past its expiry time.
    func expireOverdue(at time: Date) async {
        let overdue = waiting.values.filter { $0.expiresAt <= time }
            .sorted { ($0.node, $0.nodeSequence) < ($1.node, $1.nodeSequence) }
        for var command in overdue {
            // A result may have arrived while an earlier one was saved.
            guard waiting.removeValue(forKey: command.id) != nil else { continue }
            command.state = .expired
            logger.info(
                "command expired",
                metadata: [MetadataKeys.commandID: "\(command.id)", MetadataKeys.nodeID: "\(command.node)"]
            )
            await finish(command, entry(command, .expired, actor: Self.vigil, detail: command.outcomeText))
        }
    }

    // MARK: - Helpers

    private func finish(_ command: RemediationCommand, _ entry: CommandAuditEntry) async {
        await save(command, entry)
        if let incident = command.incidentID {
            await timeline?.record(incident, kind: .commandFinished, actor: Self.vigil, message: command.finishedText)
        }
        await observer?.commandFinished(command)
    }

    /// A result for a command that is not waiting: a repeat, a late one after expiry, or one never issued.
    private func ignoreResult(_ result: CommandResult, for id: CommandID, from node: NodeID) async {
        let stored: RemediationCommand?
        do {
            stored = try await store.command(id)
        } catch {
            counters.storeFailures += 1
            logger.error(
                "command result could not be checked",
                metadata: [MetadataKeys.commandID: "\(id)", MetadataKeys.error: "\(error)"]
            )
            return
        }
        guard let stored, stored.node == node else {
            counters.unknownResults += 1
            logger.warning(
                "result for an unknown command ignored",
                metadata: [MetadataKeys.commandID: "\(id)", MetadataKeys.nodeID: "\(node)"]
            )
            return
        }
        counters.ignoredResults += 1
        let why = stored.state == .expired ? "late result after expiry ignored" : "repeated result ignored"
        logger.debug(
            "command result ignored",
            metadata: [MetadataKeys.commandID: "\(id)", MetadataKeys.reason: "\(why)"]
        )
        await appendAudit([
            entry(stored, .result, actor: node.rawValue, detail: "\(why): \(result.outcome.rawValue) \(result.detail)")
        ])
    }
}
