import Foundation
import Logging
import ServiceLifecycle
import Shared

/// Runs the coordinator's commands under the agent's policy: refuses what the policy does not allow, answers
/// duplicates and expired commands without running them, logs each run before and after it, and keeps the
/// results until a connection delivers them.
///
/// Commands for one action run one at a time, in arrival order; different actions run side by side. The
/// uplink hands commands over with `submit(_:)`, which never waits, so a slow action never holds up reports.
actor CommandExecutor: Service {
    /// Results not yet delivered, beyond which the oldest are dropped: the coordinator re-sends a command
    /// it has no answer for, and the log then answers `duplicate` with the stored outcome.
    static let maximumPendingResults = 1_000
    /// How long past its own timeout an action is given to stop before it is reported as timed out.
    static let timeoutGrace: Duration = .seconds(5)

    let nodeID: NodeID
    let policy: ActionPolicy
    private let log: ExecutedCommandLog?
    private let now: @Sendable () -> Date
    private let logger: Logger
    private var rateLimit = LocalRateLimit()
    /// Ids being run right now, so a command re-sent meanwhile is not run a second time.
    private var inFlight: Set<String> = []
    private var busyActions: Set<ActionName> = []
    private var waiting: [ActionName: [CheckedContinuation<Void, Never>]] = [:]
    /// Results not yet delivered, oldest first, each numbered so a delivery removes exactly what it sent (a
    /// re-sent command's `duplicate` answer has the same command id as the result it follows).
    private var pending: [(number: UInt64, result: CommandResult)] = []
    private var lastNumber: UInt64 = 0
    private var listener: AsyncStream<UplinkEvent>.Continuation?
    private nonisolated let inbox: AsyncStream<CommandRequest>
    private nonisolated let inboxContinuation: AsyncStream<CommandRequest>.Continuation

    /// - Parameter log: Nil only when the policy enables nothing; every command is then refused.
    init(
        nodeID: NodeID,
        policy: ActionPolicy,
        log: ExecutedCommandLog?,
        now: @escaping @Sendable () -> Date = Date.init,
        logger: Logger
    ) {
        self.nodeID = nodeID
        self.policy = policy
        self.log = log
        self.now = now
        var logger = logger
        logger[metadataKey: MetadataKeys.component] = "actions"
        self.logger = logger
        (inbox, inboxContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingOldest(256))
    }

    // MARK: - Receiving and delivering

    /// Queues a command from the coordinator without waiting; false when the queue is full (the coordinator
    /// re-sends commands it gets no answer for).
    nonisolated func submit(_ request: CommandRequest) -> Bool {
        if case .enqueued = inboxContinuation.yield(request) { return true }
        return false
    }

    /// Runs queued commands until graceful shutdown, which lets the running ones finish.
    nonisolated func run() async {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await request in inbox {
                    group.addTask {
                        if let result = await self.execute(request) { await self.deliver(result) }
                    }
                }
            }
        } onGracefulShutdown: {
            self.inboxContinuation.finish()
        }
    }

    /// Where to announce results as they arrive; the connection that is up sets itself, and nil when it ends.
    func setListener(_ continuation: AsyncStream<UplinkEvent>.Continuation?) {
        listener = continuation
        if !pending.isEmpty { continuation?.yield(.commandResultsAvailable) }
    }

    /// Results waiting to be sent, oldest first, with the number to pass to `markDelivered(through:)`.
    func undeliveredResults() -> (results: [CommandResult], through: UInt64) {
        (pending.map(\.result), pending.last?.number ?? lastNumber)
    }

    /// Forgets the results a connection has written: those up to `number` from `undeliveredResults()`.
    func markDelivered(through number: UInt64) {
        pending.removeAll { $0.number <= number }
    }

    private func deliver(_ result: CommandResult) {
        lastNumber += 1
        pending.append((lastNumber, result))
        if pending.count > Self.maximumPendingResults {
            logger.warning(
                "dropped an undelivered command result",
                metadata: [MetadataKeys.commandID: "\(pending[0].result.commandID)"]
            )
            pending.removeFirst()
        }
        listener?.yield(.commandResultsAvailable)
    }

    // MARK: - Executing

    /// What became of `request`; nil when the same id is running right now, whose result will follow.
    func execute(_ request: CommandRequest) async -> CommandResult? {
        let received = now()
        func answer(_ outcome: CommandResult.Outcome, _ detail: String) -> CommandResult {
            CommandResult(
                commandID: request.id,
                outcome: outcome,
                startedAt: received,
                finishedAt: now(),
                detail: detail
            )
        }
        guard request.targetNodeID == nodeID else {
            return answer(.refused, "command for node \(request.targetNodeID) reached node \(nodeID)")
        }
        guard !inFlight.contains(request.id) else { return nil }
        if let earlier = log?.entry(for: request.id) {
            return Self.answer(forEarlier: earlier, of: request, at: received)
        }
        guard request.expiresAt >= received else {
            return answer(.expired, "command expired at \(request.expiresAt) before it reached the agent")
        }
        guard let log else { return answer(.refused, "no actions are enabled in this agent's policy") }
        let action: any AgentAction
        do {
            action = try policy.makeAction(named: request.action, parameters: request.parameters)
        } catch {
            logger.info("command refused", metadata: [MetadataKeys.commandID: "\(request.id)", MetadataKeys.reason: "\(error)"])
            return answer(.refused, error.reason)
        }
        // The name parsed, or the policy would have refused it.
        guard let name = ActionName(rawValue: request.action) else { return answer(.refused, "unknown action") }
        if request.isDryRun {
            // Everything is validated once the action exists; a dry run says what it would do and stops there.
            return answer(.succeeded, "dry run: would \(action.intent)")
        }
        inFlight.insert(request.id)
        defer { inFlight.remove(request.id) }
        await acquire(name)
        defer { release(name) }
        let limits = policy.limits(for: name)
        if let refusal = rateLimit.check(name, limit: limits.runsPerHour, now: now()) {
            return answer(.refused, refusal.reason)
        }
        let startedAt = now()
        do {
            try log.recordStarted(id: request.id, action: name.rawValue, at: startedAt)
        } catch {
            logger.error("cannot record a command before running it", metadata: [MetadataKeys.error: "\(error)"])
            return answer(.failed, "not run: \(error)")
        }
        rateLimit.record(name, at: startedAt)
        logger.info("running action", metadata: [MetadataKeys.commandID: "\(request.id)", MetadataKeys.action: "\(name.rawValue)"])
        let outcome = await Self.perform(action, timeout: limits.timeout + Self.timeoutGrace)
        let result = Self.result(for: request.id, outcome, startedAt: startedAt, finishedAt: now())
        do {
            try log.recordFinished(result, action: name.rawValue)
        } catch {
            logger.error("cannot record a command's result", metadata: [MetadataKeys.error: "\(error)"])
        }
        logger.info(
            "action finished",
            metadata: [MetadataKeys.commandID: "\(request.id)", MetadataKeys.action: "\(name.rawValue)", MetadataKeys.outcome: "\(result.outcome)"]
        )
        return result
    }

    /// Runs `action`, turning errors and an overrun of `timeout` into failed outcomes.
    private static func perform(_ action: any AgentAction, timeout: Duration) async -> ActionOutcome {
        await withTaskGroup(of: ActionOutcome?.self) { group in
            group.addTask {
                do { return try await action.run(dryRun: false) } catch let error as ActionError {
                    return ActionOutcome(isSuccess: false, exitCode: -1, detail: error.description)
                } catch {
                    return ActionOutcome(
                        isSuccess: false,
                        exitCode: -1,
                        detail: "\(error)".split(whereSeparator: \.isNewline).joined(separator: " ")
                    )
                }
            }
            group.addTask {
                do { try await Task.sleep(for: timeout) } catch { return nil }
                return ActionOutcome(
                    isSuccess: false,
                    exitCode: -1,
                    detail: ActionError.timedOut(action: action.intent, after: timeout).description
                )
            }
            var first: ActionOutcome?
            while first == nil, let next = await group.next() { first = next }
            group.cancelAll()
            return first ?? ActionOutcome(isSuccess: false, exitCode: -1, detail: "the action was cancelled")
        }
    }

    private static func result(
        for id: String,
        _ outcome: ActionOutcome,
        startedAt: Date,
        finishedAt: Date
    ) -> CommandResult {
        CommandResult(
            commandID: id,
            outcome: outcome.isSuccess ? .succeeded : .failed,
            exitCode: outcome.exitCode,
            outputTail: outcome.outputTail,
            startedAt: startedAt,
            finishedAt: finishedAt,
            detail: outcome.detail
        )
    }

    /// The answer to a command id the log has seen: never a second run.
    private static func answer(
        forEarlier entry: ExecutedCommandLog.Entry,
        of request: CommandRequest,
        at date: Date
    ) -> CommandResult {
        switch entry {
        case .finished(let stored):
            var result = stored
            result.outcome = .duplicate
            result.detail = "already ran: \(stored.outcome.rawValue): \(stored.detail)"
            return result
        case .started(let action, let startedAt):
            return CommandResult(
                commandID: request.id,
                outcome: .unknown,
                startedAt: startedAt,
                finishedAt: date,
                detail: "\(action) started at \(startedAt) but the agent stopped before it finished; not run again"
            )
        }
    }

    // MARK: - One at a time per action

    private func acquire(_ action: ActionName) async {
        guard !busyActions.insert(action).inserted else { return }
        await withCheckedContinuation { waiting[action, default: []].append($0) }
    }

    /// Hands the action's slot to the next waiting command, or frees it.
    private func release(_ action: ActionName) {
        guard var queue = waiting[action], !queue.isEmpty else {
            busyActions.remove(action)
            return
        }
        let next = queue.removeFirst()
        waiting[action] = queue
        next.resume()
    }
}
