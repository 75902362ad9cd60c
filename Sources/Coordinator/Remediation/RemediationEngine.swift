import Foundation
import Logging
import ServiceLifecycle
import Shared

/// Runs the runbooks: every second, for each open incident with a runbook for its kind, advances its plan and
/// carries out the decisions — commands through the `CommandSender`, lines on the timeline, approvals,
/// MONITORING once a fix verified, escalation to people when the steps run out.
actor RemediationEngine: Service, CommandResultObserver {
    /// The issuer of the commands remediation sends.
    static let issuer = "remediation"

    let runbooks: [IncidentKind: Runbook]
    let settings: RemediationSettings
    private let context: any RemediationContext
    private let sender: any CommandSender
    private let silences: (any SilenceLookup)?
    private(set) var isPaused: Bool
    private var plans: [IncidentID: RemediationPlan] = [:]
    private var lastRun: [NodeAction: Date] = [:]
    /// Which incident each pending approval belongs to.
    private var approvals: [String: IncidentID] = [:]
    private let logger: Logger

    init(
        runbooks: [Runbook],
        settings: RemediationSettings,
        context: any RemediationContext,
        sender: any CommandSender,
        silences: (any SilenceLookup)? = nil,
        logger: Logger
    ) {
        self.runbooks = Dictionary(runbooks.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.settings = settings
        self.context = context
        self.sender = sender
        self.silences = silences
        isPaused = !settings.isEnabled
        var logger = logger
        logger[metadataKey: MetadataKeys.component] = "remediation"
        self.logger = logger
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            } catch {
                break
            }
            await tick(now: Date())
        }
    }

    /// Advances every open incident's plan once.
    func tick(now: Date) async {
        let situations = await context.situations()
        let open = Set(situations.map(\.incident.id))
        plans = plans.filter { open.contains($0.key) }
        approvals = approvals.filter { open.contains($0.value) }
        let active = await silences?.activeSilences(at: now) ?? []
        for situation in situations.sorted(by: { $0.incident.id < $1.incident.id }) {
            guard let runbook = runbooks[situation.incident.kind] else { continue }
            let id = situation.incident.id
            var plan = plans[id] ?? RemediationPlan(incidentID: id, runbook: runbook)
            let decisions = plan.advance(
                situation,
                settings: settings,
                isPaused: isPaused,
                lastRun: lastRun,
                silenced: Self.silenced(situation, by: active),
                now: now
            )
            plans[id] = plan
            for decision in decisions { await perform(decision, for: id, now: now) }
        }
    }

    /// The first active silence (by id) matching each sick node of the incident.
    private static func silenced(_ situation: IncidentSituation, by active: [Silence]) -> [NodeID: Silence] {
        guard !active.isEmpty else { return [:] }
        var silenced: [NodeID: Silence] = [:]
        for node in situation.sickNodes.keys {
            let match = active.first { silence in
                silence.matches(
                    node: node,
                    service: situation.incident.service,
                    kind: situation.incident.kind,
                    incident: situation.incident.id
                )
            }
            if let match { silenced[node] = match }
        }
        return silenced
    }

    private func perform(_ decision: RemediationPlan.Decision, for id: IncidentID, now: Date) async {
        switch decision {
        case .issue(let draft):
            await issue(draft, for: id, now: now)
        case .requestApproval(let approval, let draft):
            approvals[approval] = id
            await context.record(
                id,
                kind: .approval,
                message: "\(draft.action) on \(draft.node) waits for approval: vigil approve \(approval)"
            )
        case .timeline(let kind, let message):
            await context.record(id, kind: kind, message: message)
        case .verified(let message):
            logger.info("fix verified", metadata: [MetadataKeys.incidentID: "\(id)"])
            await context.fixVerified(id, message: message)
        case .escalate(let reason):
            logger.warning(
                "remediation escalates",
                metadata: [MetadataKeys.incidentID: "\(id)", MetadataKeys.reason: "\(reason)"]
            )
            await context.record(id, kind: .escalated, message: "people must take over: \(reason)")
        }
    }

    private func issue(_ draft: CommandDraft, for id: IncidentID, now: Date) async {
        lastRun[NodeAction(node: draft.node, action: draft.action)] = now
        do {
            let command = try await sender.issue(draft)
            plans[id]?.commandIssued(command.id, for: draft.node)
        } catch {
            logger.error(
                "cannot issue a command",
                metadata: [MetadataKeys.incidentID: "\(id)", MetadataKeys.error: "\(error)"]
            )
            plans[id]?.commandNotIssued(for: draft.node, reason: "the coordinator could not issue it: \(error)")
        }
    }

    // MARK: - CommandResultObserver

    func commandFinished(_ command: RemediationCommand) async {
        guard command.issuer == Self.issuer, let id = command.incidentID else { return }
        // Verification counts from when the result arrived.
        plans[id]?.commandFinished(command, now: command.result?.receivedAt ?? Date())
    }

    // MARK: - Operators

    /// Sends the command an approval was waiting for.
    func approve(_ approval: String, by person: String) async throws(RemediationError) -> RemediationCommand {
        guard let id = approvals.removeValue(forKey: approval), let (node, draft) = plans[id]?.approve(approval) else {
            throw .unknownApproval(approval)
        }
        await context.record(id, kind: .approval, message: "\(person) approved \(draft.action) on \(node)")
        lastRun[NodeAction(node: node, action: draft.action)] = Date()
        do {
            let command = try await sender.issue(draft)
            plans[id]?.commandIssued(command.id, for: node)
            return command
        } catch {
            plans[id]?.commandNotIssued(for: node, reason: "the coordinator could not issue it: \(error)")
            throw .unavailable("\(error)")
        }
    }

    func pause(by person: String) {
        isPaused = true
        logger.warning("remediation paused", metadata: ["by": "\(person)"])
    }

    func resume(by person: String) {
        isPaused = false
        logger.info("remediation resumed", metadata: ["by": "\(person)"])
    }

    func status() -> RemediationStatus {
        RemediationStatus(
            isPaused: isPaused,
            runbooks: runbooks.keys.map(\.rawValue).sorted(),
            incidents: plans.values.sorted { $0.incidentID < $1.incidentID }.map { plan in
                RemediationStatus.IncidentPlan(
                    incident: plan.incidentID,
                    kind: plan.runbook.kind,
                    step: plan.stepIndex + 1,
                    steps: plan.runbook.steps.count,
                    action: plan.step?.action,
                    actionsIssued: plan.actionsIssued,
                    isOver: plan.isOver,
                    pendingApprovals: plan.pendingApprovals.keys.sorted()
                )
            }
        )
    }
}

/// What `vigil remediation status` shows.
struct RemediationStatus: Codable, Hashable, Sendable {
    struct IncidentPlan: Codable, Hashable, Sendable {
        var incident: IncidentID
        var kind: IncidentKind
        var step: Int
        var steps: Int
        var action: ActionName?
        var actionsIssued: Int
        var isOver: Bool
        var pendingApprovals: [String]
    }

    var isPaused: Bool
    var runbooks: [String]
    var incidents: [IncidentPlan]
}

/// Why an operator's remediation request was refused.
enum RemediationError: Error, Equatable, CustomStringConvertible {
    case unknownApproval(String)
    case unavailable(String)

    var description: String {
        switch self {
        case .unknownApproval(let id): "no approval \(id) is waiting"
        case .unavailable(let reason): "the command could not be issued: \(reason)"
        }
    }
}
