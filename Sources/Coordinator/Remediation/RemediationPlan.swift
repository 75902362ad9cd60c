import Foundation
import Shared

/// One incident's remediation, as a value: which runbook step, what each node is waiting for, and what to do
/// next. Pure: `advance` takes the situation and the time and returns decisions for the engine to carry out.
struct RemediationPlan: Hashable, Sendable {
    enum NodeState: Hashable, Sendable {
        case waiting
        case awaitingApproval(String)
        case commanded(CommandID)
        case verifying(until: Date)
        case fixed
        case failed(String)
    }

    enum Decision: Hashable, Sendable {
        case issue(CommandDraft)
        case requestApproval(id: String, draft: CommandDraft)
        case timeline(TimelineEvent.Kind, String)
        case verified(String)
        case escalate(String)
    }

    let incidentID: IncidentID
    let runbook: Runbook
    private(set) var stepIndex = 0
    private(set) var nodes: [NodeID: NodeState] = [:]
    private(set) var actionsIssued = 0
    /// Set once it verified or escalated: nothing more happens for this incident.
    private(set) var isOver = false
    /// Nodes a step skipped for a cooldown, so the timeline says it once.
    private var heldForCooldown: Set<NodeID> = []
    /// Nodes held by a silence, with the silence, so the timeline says it once per silence.
    private var heldForSilence: [NodeID: SilenceID] = [:]
    /// Drafts waiting for `vigil approve`, by approval id.
    private(set) var pendingApprovals: [String: CommandDraft] = [:]

    init(incidentID: IncidentID, runbook: Runbook) {
        self.incidentID = incidentID
        self.runbook = runbook
    }

    var step: Runbook.Step? { stepIndex < runbook.steps.count ? runbook.steps[stepIndex] : nil }

    /// The next decisions for this incident.
    ///
    /// - Parameters:
    ///   - lastRun: when each (node, action) last had a command issued, for the cooldown.
    ///   - silenced: the active silence matching each node of this incident that has one; such a node gets no
    ///     command, and holding it counts against neither the cap nor the cooldown.
    mutating func advance(
        _ situation: IncidentSituation,
        settings: RemediationSettings,
        isPaused: Bool,
        lastRun: [NodeAction: Date],
        silenced: [NodeID: Silence] = [:],
        now: Date
    ) -> [Decision] {
        guard !isOver, let step else { return [] }
        var decisions: [Decision] = []
        // New sick nodes join the step; verification windows that ran out are judged.
        for node in situation.sickNodes.keys where nodes[node] == nil { nodes[node] = .waiting }
        for (node, state) in nodes {
            guard case .verifying(let until) = state, now >= until else { continue }
            if situation.sickNodes[node] == nil {
                nodes[node] = .fixed
                decisions.append(.timeline(.remediation, "\(step.action) verified on \(node): its signal stayed clear"))
            } else {
                nodes[node] = .failed(
                    "its signal still fails \(IncidentBook.duration(step.verifyWindow)) after the fix"
                )
            }
        }
        if let (node, reason) = nodes.compactMap({ node, state -> (NodeID, String)? in
            if case .failed(let reason) = state { return (node, reason) } else { return nil }
        }).min(by: { $0.0 < $1.0 }) {
            return decisions + nextStep(after: "\(step.action) did not fix \(node): \(reason)", situation)
        }
        let inFlight = nodes.values.count { state in
            switch state {
            case .awaitingApproval, .commanded, .verifying: true
            default: false
            }
        }
        let anyFixed = nodes.values.contains(.fixed)
        if situation.sickNodes.isEmpty, inFlight == 0 {
            if anyFixed {
                isOver = true
                decisions.append(.verified("\(step.action) fixed every node; its signals stayed clear"))
            }
            return decisions
        }
        // The first node of a step is fixed alone: the canary. Then up to the blast radius at once.
        let limit = anyFixed ? settings.blastRadius.limit(serviceSize: situation.serviceSize) : 1
        var available = max(0, limit - inFlight)
        guard !isPaused else { return decisions }
        for node in nodes.keys.sorted() where available > 0 {
            guard nodes[node] == .waiting, let values = situation.sickNodes[node] else { continue }
            if let silence = silenced[node] {
                if heldForSilence.updateValue(silence.id, forKey: node) != silence.id {
                    decisions.append(.timeline(.remediation, Self.heldMessage(node, silence)))
                }
                continue
            }
            if let silence = heldForSilence.removeValue(forKey: node) {
                let message = "remediation carries on for \(node): \(silence) no longer holds it"
                decisions.append(.timeline(.remediation, message))
            }
            if let last = lastRun[NodeAction(node: node, action: step.action)],
                now.timeIntervalSince(last) < settings.cooldown.timeInterval
            {
                if heldForCooldown.insert(node).inserted {
                    decisions.append(
                        .timeline(
                            .remediation,
                            "\(step.action) on \(node) waits: it ran there \(IncidentBook.age(last, now)) ago, within the cooldown of \(IncidentBook.duration(settings.cooldown))"
                        )
                    )
                }
                continue
            }
            guard actionsIssued < settings.maximumActionsPerIncident else {
                isOver = true
                return decisions + [
                    .escalate("remediation issued \(actionsIssued) commands, its limit for one incident")
                ]
            }
            var parameters: [String: String] = [:]
            for (key, template) in step.parameters {
                let value = SummaryTemplate.render(template, values: values)
                guard !value.contains("{{") else {
                    nodes[node] = .failed("parameter \(key) \"\(template)\" has no value for this node")
                    return decisions
                        + nextStep(
                            after: "\(step.action) cannot be filled in for \(node): no value for \(template)",
                            situation
                        )
                }
                parameters[key] = value
            }
            let draft = CommandDraft(
                incidentID: incidentID,
                node: node,
                action: step.action,
                parameters: parameters,
                issuer: RemediationEngine.issuer,
                lifetime: settings.commandLifetime
            )
            actionsIssued += 1
            available -= 1
            if step.needsApproval {
                let approval = "apr-\(incidentID)-\(stepIndex + 1)-\(node)"
                pendingApprovals[approval] = draft
                nodes[node] = .awaitingApproval(approval)
                decisions.append(.requestApproval(id: approval, draft: draft))
            } else {
                nodes[node] = .commanded(CommandID(""))
                decisions.append(.issue(draft))
            }
        }
        return decisions
    }

    /// The command the engine issued for `node` got its id.
    mutating func commandIssued(_ id: CommandID, for node: NodeID) {
        nodes[node] = .commanded(id)
    }

    /// Issuing failed at the coordinator (store down, node unknown): the node fails this step.
    mutating func commandNotIssued(for node: NodeID, reason: String) {
        nodes[node] = .failed(reason)
    }

    /// A command of this plan is over.
    mutating func commandFinished(_ command: RemediationCommand, now: Date) {
        guard case .commanded(let id)? = nodes[command.node], id == command.id, let step else { return }
        if command.result?.outcome == .succeeded {
            nodes[command.node] = .verifying(until: now.addingTimeInterval(step.verifyWindow.timeInterval))
        } else {
            let outcome =
                command.result.map { "\($0.outcome)\($0.detail.isEmpty ? "" : ": \($0.detail)")" } ?? "expired"
            nodes[command.node] = .failed("the command \(outcome)")
        }
    }

    /// An operator approved; returns the draft to issue.
    mutating func approve(_ approval: String) -> (NodeID, CommandDraft)? {
        guard let draft = pendingApprovals.removeValue(forKey: approval) else { return nil }
        nodes[draft.node] = .commanded(CommandID(""))
        return (draft.node, draft)
    }

    /// The reason is cut short: the timeline line names the silence, and `vigil silence list` shows all of it.
    private static func heldMessage(_ node: NodeID, _ silence: Silence) -> String {
        let reason = silence.reason.count > 200 ? String(silence.reason.prefix(200)) + "…" : silence.reason
        let until = silence.endsAt.ISO8601Format()
        return "remediation held for \(node): silenced by \(silence.id) (\(reason)) until \(until)"
    }

    private mutating func nextStep(after reason: String, _ situation: IncidentSituation) -> [Decision] {
        stepIndex += 1
        nodes = [:]
        heldForCooldown = []
        heldForSilence = [:]
        pendingApprovals = [:]
        guard let next = step else {
            isOver = true
            return [.escalate("\(reason); no step left in the \(runbook.kind) runbook")]
        }
        return [.timeline(.remediation, "\(reason); next: step \(stepIndex + 1), \(next.action)")]
    }
}

/// An action on a node, for cooldowns.
struct NodeAction: Hashable, Sendable {
    var node: NodeID
    var action: ActionName
}
