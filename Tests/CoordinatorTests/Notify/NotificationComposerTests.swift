import Foundation
import Shared
import Testing

@testable import Coordinator

/// Which notifications a notice becomes: one per channel, one per addressee for personal e-mail, no
/// acknowledgements by e-mail, no updates to the pager, and the same delivery id however often it is composed.
@Suite struct NotificationComposerTests {
    private static let channels: [NotificationChannel] = (try? NotificationSettings.parse(
        yaml: """
            channels:
              - {name: pager, kind: pagerduty, routing_key: K}
              - {name: chat, kind: slack, url: "https://hooks.example.com/x"}
              - {name: mail, kind: email, smtp_url: "smtp://127.0.0.1:2525", from: "vigil@example.com"}
              - {name: desk, kind: email, smtp_url: "smtp://127.0.0.1:2525", from: "vigil@example.com", to: [desk@example.com]}
            """,
        source: "test.yaml"
    ).channels) ?? []

    private static let alice = OnCallPerson(name: "alice", email: "alice@example.com", chat: "@alice")
    private static let bob = OnCallPerson(name: "bob")

    /// A composer over a real store (for status updates) and fixed incidents; the folder lives as long as it.
    private final class Fixture {
        let directory: TemporaryDirectory
        let composer: NotificationComposer

        init() throws {
            directory = try TemporaryDirectory()
            composer = NotificationComposer(
                renderer: try MessageRenderer(settings: MessageSettings()),
                incidents: RecordingIncidentOperations(),
                store: try CoordinatorDatabase.open(directory: directory.path),
                channels: NotificationComposerTests.channels
            )
        }
    }

    private func notice(
        _ event: EscalationNotice.Event,
        _ kind: String,
        recipients: [OnCallPerson],
        incident: Int64 = 3
    ) -> EscalationNotice {
        EscalationNotice(
            incidentID: IncidentID(incident),
            event: event,
            messageKind: kind,
            recipients: recipients,
            target: .primary,
            channels: Self.channels.map(PagingChannel.init),
            reason: "sre primary, step 1 of SEV-1 (+0 min)",
            key: "r1-primary"
        )
    }

    @Test func aPageGoesToEveryChannelAndByEMailOnlyToThoseWithAnAddress() async throws {
        let fixture = try Fixture()
        let composer = fixture.composer
        defer { withExtendedLifetime(fixture) {} }
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let notifications = try await composer.compose(
            notice(.trigger, "initial", recipients: [Self.alice]),
            now: now
        )
        #expect(notifications.map(\.channel) == ["pager", "chat", "mail", "desk"])
        #expect(notifications.map(\.id) == ["3-r1-primary-pager", "3-r1-primary-chat", "3-r1-primary-mail-alice", "3-r1-primary-desk-alice"])
        let chat = try NotificationComposer.notification(fromPayload: notifications[1].payload)
        #expect(chat.recipient == Recipient(name: "alice", email: "alice@example.com", chatHandle: "@alice"))
        #expect(chat.text.hasPrefix("🚨 INCIDENT DETECTED 🚨"))
        #expect(chat.event == .trigger)
        #expect(notifications.allSatisfy { $0.status == .pending && $0.nextAttemptAt == now })

        let withoutAddress = try await composer.compose(notice(.trigger, "page", recipients: [Self.bob]), now: now)
        #expect(withoutAddress.map(\.channel) == ["pager", "chat", "desk"], "bob has no e-mail address")
        let page = try NotificationComposer.notification(fromPayload: withoutAddress[0].payload)
        #expect(page.text.contains("bob"))
    }

    @Test func acknowledgementsSkipEMailAndUpdatesSkipThePager() async throws {
        let fixture = try Fixture()
        let composer = fixture.composer
        defer { withExtendedLifetime(fixture) {} }
        let acknowledged = try await composer.compose(
            notice(.acknowledge, "acknowledged", recipients: []),
            now: Date()
        )
        #expect(acknowledged.map(\.channel) == ["pager", "chat"])
        let update = try await composer.compose(
            notice(.update, MessageKind.statusUpdate.rawValue, recipients: [Self.alice, Self.bob]),
            now: Date()
        )
        #expect(update.map(\.channel) == ["chat", "mail", "desk"])
        #expect(update.map(\.recipient) == [nil, "alice", nil], "team channels carry no addressee")
    }

    @Test func composingTwiceGivesTheSameDeliveryIDsAndPayloads() async throws {
        let fixture = try Fixture()
        let composer = fixture.composer
        defer { withExtendedLifetime(fixture) {} }
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let first = try await composer.compose(notice(.trigger, "initial", recipients: [Self.alice]), now: now)
        let second = try await composer.compose(notice(.trigger, "initial", recipients: [Self.alice]), now: now)
        #expect(first == second)
    }

    @Test func aResolutionForAnOpenIncidentCannotBeComposed() async throws {
        let fixture = try Fixture()
        let composer = fixture.composer
        defer { withExtendedLifetime(fixture) {} }
        await #expect(throws: MessageError.self) {
            _ = try await composer.compose(notice(.resolve, "resolution", recipients: []), now: Date())
        }
    }
}
