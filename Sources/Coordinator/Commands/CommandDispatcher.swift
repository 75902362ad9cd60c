import Foundation
import Logging
import ServiceLifecycle
import Shared

/// Sends commands to agents: stores each one (and its audit entry) before it is sent, sends it when its node is
/// connected and again after every reconnection until its result arrives or it expires, and records the end on
/// the audit log, the incident's timeline and with the result observer.
///
/// The commands still waiting (pending or sent) are kept in memory too, so a reconnection re-sends them without
/// a read; the store is the truth after a restart (`restore()`).
actor CommandDispatcher: Service, CommandSender {
    /// The actor of what the coordinator does by itself on the audit log and timelines.
    static let vigil = "vigil"
    static let maximumLifetime: Duration = .seconds(24 * 3_600)
    static let maximumParameters = 32
    static let maximumParameterLength = 1_024
    static let maximumIssuerLength = 100

    /// Results that did not fit any command, for the health endpoint and the tests.
    struct Counters: Sendable, Equatable {
        /// A result for a command id the coordinator never issued.
        var unknownResults: UInt64 = 0
        /// A result from another node than the command's.
        var misdirectedResults: UInt64 = 0
        /// A second result for a finished command, or one for an expired command.
        var ignoredResults: UInt64 = 0
        /// Writes to the command store that failed after the command was issued.
        var storeFailures: UInt64 = 0
    }

    private let fleet: FleetState
    private let delivery: any CommandDelivery
    let store: any CommandStore
    let timeline: (any IncidentTimeline)?
    let observer: (any CommandResultObserver)?
    private let tickInterval: Duration
    let now: @Sendable () -> Date
    let logger: Logger
    /// Pending and sent commands by id; only this actor's extensions change it.
    var waiting: [CommandID: RemediationCommand] = [:]
    /// The next sequence per node, once the store was asked, so commands issued together never share one.
    private var nextSequence: [NodeID: UInt64] = [:]
    var counters = Counters()

    init(
        fleet: FleetState,
        delivery: any CommandDelivery,
        store: any CommandStore,
        timeline: (any IncidentTimeline)?,
        observer: (any CommandResultObserver)? = nil,
        tickInterval: Duration = .seconds(1),
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger
    ) {
        self.fleet = fleet
        self.delivery = delivery
        self.store = store
        self.timeline = timeline
        self.observer = observer
        self.tickInterval = tickInterval
        self.now = now
        var logger = logger
        logger[metadataKey: MetadataKeys.component] = "commands"
        self.logger = logger
    }

    /// Loads the commands still waiting for a result; returns how many.
    @discardableResult
    func restore() async throws -> Int {
        let unfinished = try await store.unfinishedCommands()
        for command in unfinished { waiting[command.id] = command }
        return unfinished.count
    }

    /// Expires overdue commands once per tick until shutdown.
    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await expireOverdue(at: now())
            do {
                try await cancelWhenGracefulShutdown { [tickInterval] in try await Task.sleep(for: tickInterval) }
            } catch {
                break
            }
        }
    }

    // MARK: - Issuing

    func issue(_ draft: CommandDraft) async throws(CommandDispatchError) -> RemediationCommand {
        let issuedAt = now()
        do {
            try await check(draft)
        } catch {
            await refuse(draft, error, at: issuedAt)
            throw error
        }
        let stored: UInt64
        do {
            stored = try await store.nextNodeSequence(for: draft.node)
        } catch {
            throw .unavailable("\(error)")
        }
        // No suspension from here to the assignment: two commands issued together get two sequences.
        let sequence = max(stored, nextSequence[draft.node] ?? 1)
        nextSequence[draft.node] = sequence + 1
        let command = RemediationCommand(
            id: .make(),
            incidentID: draft.incidentID,
            node: draft.node,
            action: draft.action,
            parameters: draft.parameters,
            isDryRun: draft.isDryRun,
            issuer: draft.issuer,
            nodeSequence: sequence,
            issuedAt: issuedAt,
            expiresAt: issuedAt.addingTimeInterval(draft.lifetime.timeInterval),
            state: .pending,
            attempts: 0,
            lastSentAt: nil,
            result: nil
        )
        do {
            try await store.save(
                command,
                appending: [entry(command, .issued, actor: draft.issuer, detail: command.parameterText)]
            )
        } catch {
            throw .unavailable("\(error)")
        }
        waiting[command.id] = command
        logger.info(
            "command issued",
            metadata: [
                MetadataKeys.commandID: "\(command.id)", MetadataKeys.nodeID: "\(command.node)",
                MetadataKeys.action: "\(command.action.rawValue)",
            ]
        )
        if let incident = command.incidentID {
            await timeline?.record(incident, kind: .commandIssued, actor: command.issuer, message: command.issuedText)
        }
        return await send(command.id, at: issuedAt) ?? waiting[command.id] ?? command
    }

    /// Refuses a draft that cannot be issued: bad input, an unknown node or incident.
    private func check(_ draft: CommandDraft) async throws(CommandDispatchError) {
        let issuer = draft.issuer.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !issuer.isEmpty, issuer.count <= Self.maximumIssuerLength else {
            throw .invalid("the issuer must be 1 to \(Self.maximumIssuerLength) characters")
        }
        guard draft.lifetime > .zero, draft.lifetime <= Self.maximumLifetime else {
            throw .invalid("the lifetime must be more than 0 and at most \(Self.maximumLifetime)")
        }
        guard draft.parameters.count <= Self.maximumParameters else {
            throw .invalid("at most \(Self.maximumParameters) parameters")
        }
        for (name, value) in draft.parameters {
            guard !name.isEmpty, name.count <= Self.maximumParameterLength, value.count <= Self.maximumParameterLength
            else {
                throw .invalid(
                    "parameter names must not be empty; names and values at most \(Self.maximumParameterLength) characters"
                )
            }
        }
        guard await fleet.summary(of: draft.node) != nil else { throw .unknownNode(draft.node) }
        if let incident = draft.incidentID, let timeline {
            let exists: Bool
            do {
                exists = try await timeline.incidentExists(incident)
            } catch {
                throw .unavailable("\(error)")
            }
            guard exists else { throw .unknownIncident(incident) }
        }
    }

    private func refuse(_ draft: CommandDraft, _ error: CommandDispatchError, at time: Date) async {
        logger.info(
            "command refused",
            metadata: [MetadataKeys.nodeID: "\(draft.node)", MetadataKeys.reason: "\(error)"]
        )
        // A store that cannot be read cannot take the refusal either.
        if case .unavailable = error { return }
        let refusal = CommandAuditEntry(
            time: time,
            actor: draft.issuer,
            commandID: nil,
            node: draft.node,
            action: draft.action,
            event: .refusedByCoordinator,
            detail: error.description
        )
        await appendAudit([refusal])
    }

    // MARK: - Sending

    /// Queues the command on its node's connection if it is still waiting and unexpired; the command as it is
    /// afterwards, nil once it is no longer waiting.
    @discardableResult
    func send(_ id: CommandID, at time: Date) async -> RemediationCommand? {
        guard let command = waiting[id] else { return nil }
        guard command.expiresAt > time else { return command }
        guard await delivery.deliver(command.request, to: command.node) else {
            logger.debug("command waits for its node", metadata: [MetadataKeys.commandID: "\(id)"])
            return waiting[id]
        }
        // A result may have arrived while the request was queued.
        guard var sent = waiting[id] else { return nil }
        sent.state = .sent
        sent.attempts += 1
        sent.lastSentAt = time
        waiting[id] = sent
        logger.debug(
            "command sent",
            metadata: [MetadataKeys.commandID: "\(id)", MetadataKeys.count: "\(sent.attempts)"]
        )
        await save(sent, entry(sent, .sent, actor: Self.vigil, detail: "attempt \(sent.attempts)"))
        return waiting[id] ?? sent
    }

    // MARK: - Helpers

    func entry(
        _ command: RemediationCommand,
        _ event: CommandAuditEntry.Event,
        actor: String,
        detail: String
    ) -> CommandAuditEntry {
        CommandAuditEntry(
            time: now(),
            actor: actor,
            commandID: command.id,
            node: command.node,
            action: command.action,
            event: event,
            detail: detail
        )
    }

    /// Saves a command after it was issued; a failure is logged and counted (it is still re-sent from memory).
    func save(_ command: RemediationCommand, _ entry: CommandAuditEntry) async {
        do {
            try await store.save(command, appending: [entry])
        } catch {
            counters.storeFailures += 1
            logger.error(
                "command could not be saved",
                metadata: [MetadataKeys.commandID: "\(command.id)", MetadataKeys.error: "\(error)"]
            )
        }
    }

    func appendAudit(_ entries: [CommandAuditEntry]) async {
        do {
            try await store.appendAudit(entries)
        } catch {
            counters.storeFailures += 1
            logger.error("audit entries could not be saved", metadata: [MetadataKeys.error: "\(error)"])
        }
    }
}
