import Foundation
import Logging
import Shared
import Synchronization
import Testing

@testable import Coordinator

/// Runbooks against the real detection engine on a manual clock, with a sender that records commands and lets
/// the test answer them: canary first, blast radius, verification, next step, escalation, approval, pause,
/// cooldown.
@Suite(.timeLimit(.minutes(1)))
struct RemediationEngineTests {
    private static let leakRule = Rule(
        name: RuleName("memory_leak"),
        kind: IncidentKind("memory_leak"),
        severity: .sev3,
        scope: .node,
        signal: Signal(
            selector: SeriesSelector(name: "process_rss_growth_bytes_per_second"),
            aggregation: .max,
            window: .seconds(10)
        ),
        comparison: .above,
        threshold: 102_400,
        forDuration: .seconds(5),
        clearFor: .seconds(5),
        groupBy: ["process"],
        summary: "{{process}} on {{node}} leaks {{value}}"
    )

    private static func runbook(_ steps: [Runbook.Step]) -> Runbook {
        Runbook(kind: IncidentKind("memory_leak"), steps: steps)
    }

    private static let restart = Runbook.Step(
        action: .restartService,
        parameters: [ActionParameter.service: "{{process}}"],
        verifyWindow: .seconds(10),
        needsApproval: false
    )

    /// Three leaking nodes of `api`; a node stops leaking one second after a restart reaches it, unless
    /// `restartHelps` is false. Answers every command a second after it is issued.
    private func run(
        steps: [Runbook.Step] = [restart],
        settings: RemediationSettings = RemediationSettings(blastRadius: .nodes(2)),
        restartHelps: Bool = true,
        seconds: ClosedRange<Int> = 0...120,
        silences: SilenceBook? = nil,
        during: (RemediationEngine, Int) async -> Void = { _, _ in }
    ) async -> (DetectionHarness, RecordingSender) {
        let harness = DetectionHarness(rules: [Self.leakRule], settings: RuleFixtures.settings)
        let nodes = ["web-1", "web-2", "web-3"]
        for node in nodes { await harness.connect(node, service: "api") }
        let sender = RecordingSender()
        let engine = RemediationEngine(
            runbooks: [Self.runbook(steps)],
            settings: settings,
            context: harness.engine,
            sender: sender,
            silences: silences,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        )
        var fixedAt: [String: Int] = [:]
        for second in seconds {
            for node in nodes {
                let leaking = fixedAt[node].map { second < $0 } ?? true
                await harness.report(
                    node,
                    at: TimeInterval(second),
                    [.gauge("process_rss_growth_bytes_per_second", leaking ? 200_000 : 0, labels: ["process": "api"])]
                )
            }
            await harness.tick(at: TimeInterval(second) + 0.5)
            sender.setClock(DetectionHarness.time(TimeInterval(second) + 0.6))
            await engine.tick(now: DetectionHarness.time(TimeInterval(second) + 0.6))
            for command in sender.unanswered() {
                let received = DetectionHarness.time(TimeInterval(second) + 1)
                if restartHelps { fixedAt[command.node.rawValue] = second + 1 }
                await engine.commandFinished(sender.answer(command.id, .succeeded, at: received))
            }
            await during(engine, second)
        }
        return (harness, sender)
    }

    @Test func theCanaryGoesAloneThenTheRestWithinTheBlastRadiusAndTheIncidentIsMonitored() async throws {
        let (harness, sender) = await run()
        let commands = sender.issued
        #expect(commands.map(\.node.rawValue) == ["web-1", "web-2", "web-3"])
        #expect(
            commands.allSatisfy { $0.action == .restartService && $0.parameters == [ActionParameter.service: "api"] }
        )
        // web-1 alone; web-2 and web-3 together once web-1's fix held for the verify window.
        let times = commands.map(\.issuedAt)
        #expect(times[1] == times[2])
        #expect(times[1].timeIntervalSince(times[0]) >= 10)
        let timeline = harness.timeline()
        #expect(timeline.filter { $0.kind == .opened }.count == 1)
        #expect(timeline.contains { $0.kind == .remediation && $0.message.contains("verified on web-1") })
        #expect(timeline.contains { $0.kind == .remediation && $0.message.contains("fixed every node") })
        #expect(timeline.contains { $0.kind == .statusChanged && $0.message.contains("MONITORING") })
        #expect(!timeline.contains { $0.kind == .escalated })
    }

    @Test func aFixThatDoesNotHelpMovesToTheNextStepThenEscalates() async throws {
        let signal = Runbook.Step(
            action: .signalProcess,
            parameters: [ActionParameter.process: "{{process}}", ActionParameter.signal: "USR2"],
            verifyWindow: .seconds(10),
            needsApproval: false
        )
        let (harness, sender) = await run(steps: [Self.restart, signal], restartHelps: false)
        // Only the canary each time: nothing verified, so no other node was touched.
        #expect(sender.issued.map(\.action) == [.restartService, .signalProcess])
        #expect(sender.issued.map(\.node.rawValue) == ["web-1", "web-1"])
        let timeline = harness.timeline()
        let next = try #require(timeline.first { $0.kind == .remediation && $0.message.contains("next: step 2") })
        #expect(next.message.contains("restart_service did not fix web-1"))
        let escalated = try #require(timeline.first { $0.kind == .escalated })
        #expect(escalated.message.contains("no step left in the memory_leak runbook"))
    }

    @Test func aStepThatNeedsApprovalWaitsForIt() async throws {
        var step = Self.restart
        step.needsApproval = true
        let approvals = Mutex<[String]>([])
        let (harness, sender) = await run(steps: [step], seconds: 0...40) { engine, second in
            if second == 25, let approval = await engine.status().incidents.first?.pendingApprovals.first {
                approvals.withLock { $0.append(approval) }
                _ = try? await engine.approve(approval, by: "alice")
            }
        }
        #expect(approvals.withLock { $0.count } == 1)
        let first = try #require(sender.issued.first)
        #expect(first.issuedAt >= DetectionHarness.time(25), "nothing was sent before the approval")
        #expect(harness.timeline().contains { $0.kind == .approval && $0.message.contains("alice approved") })
    }

    @Test func pausedRemediationSendsNothingUntilResumed() async throws {
        let (_, sender) = await run(seconds: 0...40) { engine, second in
            if second == 0 { await engine.pause(by: "alice") }
            if second == 30 { await engine.resume(by: "alice") }
        }
        let first = try #require(sender.issued.first)
        #expect(first.issuedAt >= DetectionHarness.time(30))
    }

    @Test func theCapOnActionsPerIncidentEscalates() async throws {
        let settings = RemediationSettings(blastRadius: .nodes(3), maximumActionsPerIncident: 1)
        let (harness, sender) = await run(settings: settings)
        #expect(sender.issued.count == 1)
        #expect(harness.timeline().contains { $0.kind == .escalated && $0.message.contains("limit for one incident") })
    }
}

extension RemediationEngineTests {
    private static func silenceBook() -> SilenceBook {
        SilenceBook(
            store: MemorySilenceStore(),
            silences: [],
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        )
    }

    private static func apiSilence(from start: TimeInterval, to end: TimeInterval) -> SilenceDraft {
        SilenceDraft(
            service: "api",
            startsAt: DetectionHarness.time(start),
            endsAt: DetectionHarness.time(end),
            createdBy: "alice",
            reason: "deploy freeze"
        )
    }

    @Test func aSilenceOnTheServiceHoldsTheCanaryUntilItIsRemoved() async throws {
        let book = Self.silenceBook()
        let silence = try await book.add(Self.apiSilence(from: 0, to: 3_600), now: DetectionHarness.time(0))
        let (harness, sender) = await run(silences: book) { _, second in
            if second == 30 { _ = try? await book.remove(silence.id, by: "bob", now: DetectionHarness.time(30.7)) }
        }
        let first = try #require(sender.issued.first)
        #expect(first.node.rawValue == "web-1")
        #expect(first.issuedAt >= DetectionHarness.time(30), "nothing was sent while the silence held")
        // Held, then carried on by itself: every node fixed within the default cap, no escalation.
        #expect(sender.issued.map(\.node.rawValue) == ["web-1", "web-2", "web-3"])
        let timeline = harness.timeline()
        let held = timeline.filter {
            $0.message.hasPrefix("remediation held for web-1: silenced by \(silence.id) (deploy freeze) until ")
        }
        #expect(held.count == 1)
        let carriesOn = "remediation carries on for web-1: \(silence.id) no longer holds it"
        #expect(timeline.contains { $0.message == carriesOn })
        #expect(timeline.contains { $0.kind == .statusChanged && $0.message.contains("MONITORING") })
        #expect(!timeline.contains { $0.kind == .escalated })
    }

    @Test func aMaintenanceWindowHoldsNothingUntilItStarts() async throws {
        let book = Self.silenceBook()
        let window = try await book.add(Self.apiSilence(from: 12, to: 3_600), now: DetectionHarness.time(0))
        let (harness, sender) = await run(seconds: 0...40, silences: book)
        // The canary went before the window; the rest were due after it started, and were held.
        let first = try #require(sender.issued.first)
        #expect(first.issuedAt < DetectionHarness.time(12))
        #expect(sender.issued.map(\.node.rawValue) == ["web-1"])
        let held = "remediation held for web-2: silenced by \(window.id)"
        #expect(harness.timeline().contains { $0.message.hasPrefix(held) })
    }
}

/// Records the commands remediation issues and answers them when the test says.
final class RecordingSender: CommandSender {
    private let state = Mutex<(issued: [RemediationCommand], answered: Set<CommandID>, clock: Date)>(([], [], Date()))

    func issue(_ draft: CommandDraft) async throws(CommandDispatchError) -> RemediationCommand {
        state.withLock { state in
            let command = RemediationCommand(
                id: CommandID("cmd-\(state.issued.count + 1)"),
                incidentID: draft.incidentID,
                node: draft.node,
                action: draft.action,
                parameters: draft.parameters,
                isDryRun: draft.isDryRun,
                issuer: draft.issuer,
                nodeSequence: UInt64(state.issued.count + 1),
                issuedAt: state.clock,
                expiresAt: state.clock.addingTimeInterval(draft.lifetime.timeInterval),
                state: .sent,
                attempts: 1
            )
            state.issued.append(command)
            return command
        }
    }

    /// Stamps the commands issued from now on with `time`, the test's clock.
    func setClock(_ time: Date) {
        state.withLock { $0.clock = time }
    }

    var issued: [RemediationCommand] { state.withLock { $0.issued } }

    func unanswered() -> [RemediationCommand] {
        state.withLock { state in state.issued.filter { !state.answered.contains($0.id) } }
    }

    func answer(_ id: CommandID, _ outcome: CommandResult.Outcome, at time: Date) -> RemediationCommand {
        state.withLock { state in
            state.answered.insert(id)
            guard var command = state.issued.first(where: { $0.id == id }) else {
                preconditionFailure("unknown command")
            }
            command.state = .finished
            command.result = .init(
                outcome: outcome,
                exitCode: 0,
                outputTail: "",
                startedAt: time,
                finishedAt: time,
                detail: "",
                receivedAt: time
            )
            return command
        }
    }
}
