import Foundation
import Shared
import Testing

@testable import Coordinator

/// The `channels:` and `notify:` sections: one-line refusals with their line first, then what a good file gives.
@Suite struct NotificationChannelFileTests {
    private func parse(
        _ yaml: String,
        environment: [String: String] = [:]
    ) throws(CoordinatorConfigurationError) -> NotificationSettings {
        try NotificationSettings.parse(yaml: yaml, source: "c.yaml", environment: environment)
    }

    private func refusal(_ yaml: String, environment: [String: String] = [:]) -> String? {
        do {
            _ = try parse(yaml, environment: environment)
            return nil
        } catch {
            return error.description
        }
    }

    // MARK: - Refusals

    @Test func aWebhookURLThatIsNotHTTPIsRefusedWithItsLine() {
        let yaml = """
            channels:
              - name: hook
                kind: webhook
                url: foo
            """
        #expect(refusal(yaml) == #"c.yaml: line 4: channel hook: webhook url "foo" is not an http or https URL"#)
        #expect(
            refusal(yaml.replacingOccurrences(of: "url: foo", with: "url: ftp://files.example.com/x"))
                == #"c.yaml: line 4: channel hook: webhook url "ftp://files.example.com/x" is not an http or https URL"#
        )
    }

    @Test func anUnknownKindIsRefusedWithTheKnownOnes() {
        let message = refusal(
            """
            channels:
              - name: pager
                kind: sms
            """
        )
        #expect(
            message == #"c.yaml: line 3: channel pager: unknown kind "sms" (known: webhook, slack, pagerduty, email)"#
        )
    }

    @Test func anUnknownChannelInNotifyIsRefusedWithItsLine() {
        let message = refusal(
            """
            channels:
              - name: chat
                kind: slack
                url: https://hooks.example.com/T/B/X
            notify:
              sev1: [chat, pager]
            """
        )
        #expect(message == #"c.yaml: line 6: unknown channel "pager" in notify.sev1 (known: chat)"#)
    }

    @Test func aChannelNameGivenTwiceIsRefused() {
        let message = refusal(
            """
            channels:
              - name: chat
                kind: slack
                url: https://hooks.example.com/a
              - name: chat
                kind: webhook
                url: https://hooks.example.com/b
            """
        )
        #expect(message == #"c.yaml: line 5: channel "chat" is defined twice (first on line 2)"#)
    }

    @Test func aPasswordVariableThatIsNotSetStopsTheStart() {
        let yaml = """
            channels:
              - name: mail
                kind: email
                smtp_url: smtp://mail.example.com:587
                from: vigil@example.com
                username: vigil
                password_env: VIGIL_SMTP_PASSWORD
            """
        #expect(
            refusal(yaml)
                == "c.yaml: line 7: channel mail: password_env VIGIL_SMTP_PASSWORD is not set in the coordinator's environment"
        )
        #expect(refusal(yaml, environment: ["VIGIL_SMTP_PASSWORD": "x"]) == nil)
    }

    @Test func anSMTPURLWithAnotherSchemeIsRefused() {
        let message = refusal(
            """
            channels:
              - name: mail
                kind: email
                smtp_url: http://mail.example.com
                from: vigil@example.com
            """
        )
        #expect(
            message == #"c.yaml: line 4: channel mail: smtp_url "http://mail.example.com" is not an smtp or smtps URL"#
        )
    }

    @Test(arguments: [
        (
            "channels:\n  - name: chat\n    kind: slack\n    url: https://h.example.com\n    routing_key: k",
            #"c.yaml: line 5: channel chat: unknown key "routing_key" (known: name, kind, timeout_seconds, url)"#
        ),
        ("channels:\n  - name: chat\n    kind: slack", "c.yaml: line 2: channel chat: a slack channel needs url"),
        ("channels:\n  - kind: slack", "c.yaml: line 2: a channel needs a name"),
        (
            "channels:\n  - name: chat",
            "c.yaml: line 2: channel chat: a channel needs a kind (webhook, slack, pagerduty, email)"
        ),
        (
            "channels:\n  - name: chat room\n    kind: slack",
            #"c.yaml: line 2: channel name "chat room" must be 1 to 64 letters, digits, '-', '_' or '.'"#
        ),
        (
            "channels:\n  - name: p\n    kind: pagerduty",
            "c.yaml: line 2: channel p: a pagerduty channel needs routing_key"
        ),
        (
            "channels:\n  - name: m\n    kind: email\n    smtp_url: smtp://h\n    from: not-an-address",
            #"c.yaml: line 5: channel m: from "not-an-address" is not an e-mail address such as vigil@example.com or "Vigil <vigil@example.com>""#
        ),
        (
            "channels:\n  - name: m\n    kind: email\n    smtp_url: smtp://h\n    from: a@b.example\n    to: [ok@b.example, \"x\\r\\nBcc: y@b.example\"]",
            #"c.yaml: line 6: channel m: to "x\r\nBcc: y@b.example" is not an e-mail address such as vigil@example.com or "Vigil <vigil@example.com>""#
        ),
        (
            "channels:\n  - name: m\n    kind: email\n    smtp_url: smtp://h\n    from: a@b.example\n    starttls: maybe",
            #"c.yaml: line 6: channel m: starttls must be required, optional or off, not "maybe""#
        ),
        (
            "channels:\n  - name: m\n    kind: email\n    smtp_url: smtp://h\n    from: a@b.example\n    username: u",
            "c.yaml: line 2: channel m: username needs password_env, the environment variable holding the password"
        ),
        (
            "channels:\n  - name: m\n    kind: email\n    smtp_url: smtp://h\n    from: a@b.example\n    ca_file: /nonexistent/ca.pem",
            #"c.yaml: line 6: channel m: ca_file "/nonexistent/ca.pem" is not a readable file"#
        ),
        (
            "channels:\n  - name: h\n    kind: webhook\n    url: http://h.example\n    headers: {Content-Type: text/plain}",
            "c.yaml: line 5: channel h: header Content-Type is set by the sender and cannot be configured"
        ),
        (
            "channels:\n  - name: h\n    kind: webhook\n    url: http://h.example\n    timeout_seconds: 600",
            "c.yaml: line 5: channel h: timeout_seconds must be at most 300"
        ),
        ("channels:\n  name: h", "c.yaml: line 2: channels must be a list of channels"),
        ("notify:\n  sev5: [chat]", #"c.yaml: line 2: unknown key "notify.sev5" (known: sev1, sev2, sev3, sev4)"#),
        (
            "channels:\n  - name: c\n    kind: slack\n    url: https://h.example\nnotify:\n  sev3: [c, c]",
            #"c.yaml: line 6: channel "c" is listed twice in notify.sev3"#
        ),
        (
            "notify:\n  sev1: pager",
            #"c.yaml: line 2: unknown channel "pager" in notify.sev1 (no channels are defined)"#
        ),
    ])
    func everyProblemIsOneLineWithItsLine(yaml: String, expected: String) {
        #expect(refusal(yaml) == expected)
    }

    // MARK: - Good files

    @Test func everyKindReadsItsKeysAndDefaults() throws {
        let settings = try parse(
            """
            channels:
              - name: hook
                kind: webhook
                url: https://hooks.example.com/vigil
                headers:
                  Authorization: Bearer abc
              - name: chat
                kind: slack
                url: https://hooks.slack.com/services/T/B/X
                timeout_seconds: 3
              - name: pager
                kind: pagerduty
                routing_key: R0UT1NGKEY
              - name: mail
                kind: email
                smtp_url: smtps://mail.example.com:465
                from: Vigil <vigil@example.com>
                username: vigil
                password_env: SMTP_PASSWORD
              - name: relay
                kind: email
                smtp_url: smtp://127.0.0.1:25
                from: vigil@example.com
                to: [ops@example.com]
            """,
            environment: ["SMTP_PASSWORD": "s3cret"]
        )
        #expect(settings.channels.map(\.name.rawValue) == ["hook", "chat", "pager", "mail", "relay"])
        #expect(settings.channels.map(\.kind) == [.webhook, .slack, .pagerduty, .email, .email])
        #expect(
            settings.channels.map(\.timeout) == [.seconds(10), .seconds(3), .seconds(10), .seconds(10), .seconds(10)]
        )
        guard case .webhook(let webhook) = settings.channels[0].settings,
            case .pagerDuty(let pagerDuty) = settings.channels[2].settings,
            case .email(let mail) = settings.channels[3].settings,
            case .email(let relay) = settings.channels[4].settings
        else {
            Issue.record("kinds did not parse to their settings")
            return
        }
        #expect(webhook.headers == ["Authorization": "Bearer abc"])
        #expect(pagerDuty.url == "https://events.pagerduty.com/v2/enqueue")
        #expect(pagerDuty.routingKey.revealed == "R0UT1NGKEY")
        #expect(mail.password?.revealed == "s3cret")
        #expect(mail.startTLS == .required, "a password never goes out in clear by default")
        #expect(relay.startTLS == .optional)
        #expect(String(describing: settings).contains("s3cret") == false, "a secret never shows in a description")
        #expect(String(describing: settings).contains("R0UT1NGKEY") == false)
    }

    @Test func withoutNotifySeveritiesRouteByKindAsThePlaybookSays() throws {
        let settings = try parse(
            """
            channels:
              - {name: hook, kind: webhook, url: "https://h.example/x"}
              - {name: chat, kind: slack, url: "https://h.example/y"}
              - {name: pager, kind: pagerduty, routing_key: k}
              - {name: mail, kind: email, smtp_url: "smtp://h.example", from: "v@h.example"}
            """
        )
        let names = { (severity: Severity) in settings.routing.channels(for: severity).map(\.rawValue) }
        #expect(names(.sev1) == ["hook", "chat", "pager"])
        #expect(names(.sev2) == ["hook", "chat", "pager"])
        #expect(names(.sev3) == ["hook", "chat"])
        #expect(names(.sev4) == ["mail"])
    }

    @Test func notifyNamesChannelsPerSeverityAndLeavesTheOthersToTheDefault() throws {
        let settings = try parse(
            """
            channels:
              - {name: chat, kind: slack, url: "https://h.example/y"}
              - {name: pager, kind: pagerduty, routing_key: k}
              - {name: mail, kind: email, smtp_url: "smtp://h.example", from: "v@h.example"}
            notify:
              sev1: [pager, mail, chat]
              sev2: pager
              sev4: []
            """
        )
        let names = { (severity: Severity) in settings.routing.channels(for: severity).map(\.rawValue) }
        #expect(names(.sev1) == ["pager", "mail", "chat"])
        #expect(names(.sev2) == ["pager"])
        #expect(names(.sev3) == ["chat"], "not listed: the default")
        #expect(names(.sev4) == [], "an empty list sends nothing")
    }

    @Test func noSectionsMeanNoChannels() throws {
        let settings = try parse("http_listen: 127.0.0.1:8080")
        #expect(settings.channels.isEmpty)
        #expect(Severity.allCases.allSatisfy { settings.routing.channels(for: $0).isEmpty })
    }
}
