import Foundation
import HTTPTransfer
import Shared
import Testing

@testable import Coordinator

/// The whole people side on one scripted SEV-1: a simulated agent's error ratio opens it in the real engine, the
/// clock is scripted minute by minute, and pages, the status update and the resolution reach a real webhook
/// receiver (PagerDuty- and Slack-shaped) and a real SMTP server; then the postmortem has the whole timeline.
@Suite(.timeLimit(.minutes(2)))
struct ScriptedSev1Tests {
    private static let rules = [
        RuleFixtures.errorRatio("error_ratio_critical", .sev1, above: 0.05, window: 3, for: 0, clearFor: 600)
    ]

    /// The team's configuration, as an operator writes it, pointing at the test's receivers.
    private static func configuration(hook: WebhookReceiver, smtp: SMTPReceiver) throws -> CoordinatorConfiguration {
        // Alice's week began yesterday, so she is primary and Bob, one place along, secondary.
        let handOff = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-86_400))
        return try CoordinatorConfiguration.parse(
            yaml: """
                oncall:
                  time_zone: Europe/Berlin
                  people:
                    alice: {email: alice@example.com, chat: "@alice"}
                    bob: {email: bob@example.com, chat: "@bob"}
                    carol: {email: carol@example.com}
                    vic: {email: vic@example.com}
                  roles:
                    sre:
                      primary: {members: [alice, bob], shift_days: 7, hand_off: "\(handOff)"}
                      manager: carol
                  vp: vic
                channels:
                  - {name: pager, kind: pagerduty, url: "\(hook.url("/pagerduty"))", routing_key: R0UT1NGKEY}
                  - {name: war-room, kind: slack, url: "\(hook.url("/slack"))"}
                  - {name: mail, kind: email, smtp_url: "\(smtp.url)", from: "vigil@example.com"}
                notify:
                  sev1: [pager, war-room, mail]
                """,
            source: "team.yaml"
        )
    }

    /// What the receivers got, as "channel:who" lines: the PagerDuty recipient or action, the Slack mention, the
    /// e-mail's recipients.
    private static func received(_ hook: WebhookReceiver, _ smtp: SMTPReceiver) throws -> [String] {
        var lines: [String] = []
        for request in try hook.requests() {
            let body = try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any] ?? [:]
            if request.path == "/pagerduty" {
                let action = body["event_action"] as? String ?? "?"
                let details = (body["payload"] as? [String: Any])?["custom_details"] as? [String: Any]
                lines.append("pager:\(action):\(details?["recipient"] as? String ?? "-")")
            } else {
                let text = body["text"] as? String ?? ""
                let mention = text.split(separator: " ").first.map(String.init) ?? ""
                lines.append("slack:\(mention.hasPrefix("@") ? mention : firstLine(text))")
            }
        }
        for message in try smtp.messages() {
            // The subject up to the title: the title follows the readings, which move while the test runs.
            let subject = message.subject.components(separatedBy: ": ").first ?? message.subject
            lines.append("mail:\(message.rcptTos.joined(separator: ",")):\(subject)")
        }
        return lines
    }

    private static func firstLine(_ text: String) -> String { String(text.prefix { $0 != "\n" }) }

    @Test func anUnacknowledgedSev1PagesTheRightPeopleAtTheRightMinutesThenUpdatesResolvesAndWritesThePostmortem()
        async throws
    {
        let hook = try await WebhookReceiver.start()
        let smtp = try await SMTPReceiver.start()
        let configuration = try Self.configuration(hook: hook, smtp: smtp)
        let directory = try TemporaryDirectory()
        let people = PeopleConfiguration(
            onCall: configuration.onCall,
            notifications: configuration.notifications,
            messages: configuration.messages,
            scriptedClock: true
        )
        try await InProcessCoordinator.withRunning(
            dataDirectory: directory.path,
            rules: Self.rules,
            detection: DetectionSettings(evaluationInterval: .milliseconds(100)),
            people: people
        ) { coordinator in
            let client = APIClient(baseURL: "http://127.0.0.1:\(coordinator.httpPort)")
            let url = client.baseURL
            try await FailingCheckout.send(to: coordinator, node: "web-1")
            let incident = try await FailingCheckout.waitForIncident(client)
            #expect(incident.severity == .sev1)

            // Minute by minute: which receiver heard about whom, and when.
            var heardAt: [String: Int] = [:]
            for minute in 0...25 {
                // Half a second in: the API gives the opening time to the millisecond, the engine keeps it finer.
                let now = incident.openedAt.addingTimeInterval(TimeInterval(minute * 60) + 0.5)
                await coordinator.escalator.tick(now: now)
                for channel in configuration.notifications.channels {
                    await coordinator.outbox.deliverDue(on: channel, now: now)
                }
                for line in try Self.received(hook, smtp) where heardAt[line] == nil { heardAt[line] = minute }
            }
            let subject = "[SEV-1] INCIDENT DETECTED"
            let pageSubject = "[SEV-1] PAGE"
            #expect(
                heardAt == [
                    "pager:trigger:alice": 0, "slack:@alice": 0, "mail:alice@example.com:\(subject)": 0,
                    "pager:trigger:bob": 5, "slack:@bob": 5, "mail:bob@example.com:\(pageSubject)": 5,
                    "pager:trigger:carol": 10, "mail:carol@example.com:\(pageSubject)": 10,
                    "slack:📟 PAGE SEV-1: carol, you are paged as manager (step 3 of 4)": 10,
                    "pager:trigger:vic": 20, "mail:vic@example.com:\(pageSubject)": 20,
                    "slack:📟 PAGE SEV-1: vic, you are paged as vp (step 4 of 4)": 20,
                ] as [String: Int],
                "\(heardAt.sorted { $0.value < $1.value })"
            )

            // The status update goes to the war room and by e-mail to everyone paged.
            let before = try hook.requests().count
            let mailBefore = try smtp.messages().count
            #expect(
                await CoordinatorCommand.runMain(arguments: [
                    "update", "\(incident.id)", "--status", "IDENTIFIED", "--message", "checkout errors from a bad deploy",
                    "--action", "rolled back web-1", "--next", "watch the error ratio", "--eta", "15 minutes",
                    "--by", "alice", "--coordinator", url,
                ]) == 0
            )
            let afterUpdate = incident.openedAt.addingTimeInterval(26 * 60)
            for channel in configuration.notifications.channels {
                await coordinator.outbox.deliverDue(on: channel, now: max(afterUpdate, Date()))
            }
            let updates = try hook.requests().dropFirst(before)
            #expect(updates.map(\.path) == ["/slack"], "PagerDuty has no place for updates")
            #expect(updates.first?.body.contains("📊 INCIDENT UPDATE") == true)
            #expect(updates.first?.body.contains("rolled back web-1") == true)
            let updateMail = try smtp.messages().dropFirst(mailBefore)
            #expect(Set(updateMail.flatMap(\.rcptTos)) == ["alice@example.com", "bob@example.com", "carol@example.com", "vic@example.com"])

            // Resolution: PagerDuty resolves the same dedup key, the war room and the inboxes hear it.
            #expect(
                await CoordinatorCommand.runMain(arguments: [
                    "resolve", "\(incident.id)", "--force", "--root-cause", "a deploy broke the payment client",
                    "--by", "alice", "--coordinator", url,
                ]) == 0
            )
            let resolvedAt = max(incident.openedAt.addingTimeInterval(40 * 60), Date())
            await coordinator.escalator.tick(now: resolvedAt)
            for channel in configuration.notifications.channels {
                await coordinator.outbox.deliverDue(on: channel, now: resolvedAt)
            }
            let pagerBodies = try hook.requests().filter { $0.path == "/pagerduty" }.map(\.body)
            #expect(pagerBodies.last?.contains("\"event_action\":\"resolve\"") == true)
            #expect(pagerBodies.allSatisfy { $0.contains("\"dedup_key\":\"vigil-\(incident.id)\"") })
            #expect(try hook.requests().last { $0.path == "/slack" }?.body.contains("✅ INCIDENT RESOLVED") == true)
            #expect(try smtp.messages().filter { $0.subject.contains("INCIDENT RESOLVED") }.count == 4)

            // Every notification was delivered at the first attempt and recorded.
            let sent = try await client.get(
                "/api/v1/incidents/\(incident.id)/notifications",
                as: IncidentCommunications.self
            )
            #expect(sent.notifications.allSatisfy { $0.notification.status == .delivered && $0.attempts.count == 1 })
            #expect(sent.pages.map(\.person) == ["alice", "bob", "carol", "vic"])
            let health = try await client.get("/api/health", as: HealthRoutes.HealthResponse.self)
            #expect(health.notifications?.pending == 0)
            #expect(health.notifications?.channels.map(\.name) == ["pager", "war-room", "mail"])
            #expect(health.notifications?.channels.allSatisfy { $0.lastDeliveredAt != nil && $0.failing == nil } == true)

            // The postmortem draft is due in 48 hours and has the whole timeline.
            let detail = try await client.get("/api/v1/incidents/\(incident.id)", as: IncidentDetail.self)
            let draft = try #require(detail.postmortem)
            #expect(draft.dueAt.timeIntervalSince(draft.createdAt) == 48 * 3600)
            let file = directory.path + "/postmortem.md"
            #expect(
                await CoordinatorCommand.runMain(arguments: [
                    "postmortem", "\(incident.id)", "--output", file, "--coordinator", url,
                ]) == 0
            )
            let markdown = try String(contentsOfFile: file, encoding: .utf8)
            #expect(markdown.hasPrefix("# Postmortem: \(detail.incident.title)"))
            #expect(markdown.contains("Status: Draft"))
            #expect(markdown.contains("a deploy broke the payment client"))
            for event in detail.timeline {
                #expect(markdown.contains(event.message), "the postmortem's timeline has \"\(event.message)\"")
            }
            #expect(detail.timeline.contains { $0.message.hasPrefix("paged vic (sre vp)") })

            // After the review it is final.
            #expect(
                await CoordinatorCommand.runMain(arguments: [
                    "postmortem", "\(incident.id)", "--final", "--by", "carol", "--output", file, "--coordinator", url,
                ]) == 0
            )
            #expect(try String(contentsOfFile: file, encoding: .utf8).contains("Status: Final"))
            let reviewed = try await client.get("/api/v1/incidents/\(incident.id)", as: IncidentDetail.self)
            #expect(reviewed.postmortem?.status == .final)
            #expect(reviewed.postmortem?.dueAt == draft.dueAt, "the due date stays")
        }
    }
}
