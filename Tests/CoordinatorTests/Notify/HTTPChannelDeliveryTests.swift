import Foundation
import Shared
import Testing

@testable import Coordinator

/// Webhook, Slack and PagerDuty channels delivering to a real HTTP receiver on loopback: failures first, then
/// the exact bodies each kind sends.
@Suite(.timeLimit(.minutes(2))) struct HTTPChannelDeliveryTests {
    private let sender = NotificationFixtures.sender

    private func webhook(_ receiver: WebhookReceiver, timeoutSeconds: Int = 10) throws -> NotificationChannel {
        try NotificationFixtures.channel(
            """
            channels:
              - name: hook
                kind: webhook
                url: \(receiver.url())
                timeout_seconds: \(timeoutSeconds)
                headers:
                  Authorization: Bearer t0ken
            """
        )
    }

    // MARK: - Failures

    @Test func aServerErrorIsRetryableAndTheSameDeliveryGoesThroughOnceTheReceiverRecovers() async throws {
        let receiver = try await WebhookReceiver.start()
        try receiver.respond(with: [WebhookReceiver.Response(status: 500, body: "overloaded, try later")])
        let channel = try webhook(receiver)
        let notification = NotificationFixtures.notification()

        let failed = await sender.deliver(notification, via: channel)
        #expect(failed.result == .failed(retryable: true))
        #expect(failed.cause == .httpStatus)
        #expect(failed.responseCode == 500)
        #expect(failed.detail == "HTTP 500 from 127.0.0.1:\(receiver.port): overloaded, try later")

        let delivered = await sender.deliver(notification, via: channel)
        #expect(delivered.result == .delivered)
        #expect(delivered.detail == "HTTP 200")
        let requests = try receiver.requests()
        #expect(requests.map(\.status) == [500, 200])
        #expect(requests.map { $0.headers["idempotency-key"] } == ["12-trigger-primary", "12-trigger-primary"])
        #expect(requests[0].body == requests[1].body, "a retry sends the same body")
    }

    @Test func statusesSayWhetherARetryCanHelp() async throws {
        let receiver = try await WebhookReceiver.start()
        let table: [(status: Int, retryable: Bool)] = [
            (400, false), (401, false), (404, false), (410, false), (301, false),
            (408, true), (429, true), (500, true), (502, true), (503, true),
        ]
        try receiver.respond(with: table.map { WebhookReceiver.Response(status: $0.status, body: "answer") })
        let channel = try webhook(receiver)
        for row in table {
            let outcome = await sender.deliver(NotificationFixtures.notification(), via: channel)
            #expect(outcome.result == .failed(retryable: row.retryable), "HTTP \(row.status)")
            #expect(outcome.responseCode == row.status)
            #expect(outcome.detail.hasPrefix("HTTP \(row.status) from 127.0.0.1:\(receiver.port): answer"))
        }
        let redirect = try #require(try receiver.requests().first { $0.status == 301 })
        #expect(redirect.method == "POST")
    }

    @Test func aRefusedConnectionIsRetryableAndSaysSo() async throws {
        let closed = try RefusingPort()
        let channel = try NotificationFixtures.channel(
            """
            channels:
              - name: hook
                kind: webhook
                url: http://127.0.0.1:\(closed.port)/hook
            """
        )
        let outcome = await sender.deliver(NotificationFixtures.notification(), via: channel)
        #expect(outcome.result == .failed(retryable: true))
        #expect(outcome.cause == .connection)
        #expect(outcome.detail == "could not connect to 127.0.0.1:\(closed.port): connection refused")
        #expect(outcome.responseCode == nil)
    }

    @Test func aReceiverSlowerThanTheChannelTimeoutIsAbandonedAndRetried() async throws {
        let receiver = try await WebhookReceiver.start()
        try receiver.respond(with: [WebhookReceiver.Response(status: 200, delaySeconds: 30)])
        let outcome = await sender.deliver(
            NotificationFixtures.notification(),
            via: try webhook(receiver, timeoutSeconds: 1)
        )
        #expect(outcome.result == .failed(retryable: true))
        #expect(outcome.cause == .timeout)
        #expect(outcome.detail.hasPrefix("timed out waiting for 127.0.0.1:\(receiver.port)"))
        #expect(try receiver.requests().count == 1, "the request arrived; the answer did not come in time")
    }

    @Test func theDetailNeverShowsAURLsPathOrQuery() async throws {
        let receiver = try await WebhookReceiver.start()
        try receiver.respond(with: [WebhookReceiver.Response(status: 403, body: "invalid_token")])
        let channel = try NotificationFixtures.channel(
            """
            channels:
              - name: chat
                kind: slack
                url: \(receiver.url("/services/T000/B000/SECRETSECRET?token=abc"))
            """
        )
        let outcome = await sender.deliver(NotificationFixtures.notification(), via: channel)
        #expect(outcome.result == .failed(retryable: false))
        #expect(outcome.detail == "HTTP 403 from 127.0.0.1:\(receiver.port): invalid_token")
        #expect(!outcome.description.contains("SECRET") && !outcome.description.contains("abc"))
    }

    // MARK: - Bodies

    @Test func aWebhookCarriesTheDocumentedJSONAndHeaders() async throws {
        let receiver = try await WebhookReceiver.start()
        let outcome = await sender.deliver(
            NotificationFixtures.notification(subject: "Checkout is failing"),
            via: try webhook(receiver)
        )
        #expect(outcome.result == .delivered)
        #expect(outcome.responseCode == 200)
        let request = try #require(try receiver.requests().first)
        #expect(request.method == "POST")
        #expect(request.path == "/hook")
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["idempotency-key"] == "12-trigger-primary")
        #expect(request.headers["authorization"] == "Bearer t0ken")
        #expect(request.headers["user-agent"] == "vigil/test")
        let expected = [
            #"{"delivery_id":"12-trigger-primary","event":"trigger","incident":{"id":12,"kind":"high_error_rate","#,
            #""service":"checkout","severity":"SEV-1","status":"INVESTIGATING","title":"Error rate above 5 %"},"#,
            #""links":[{"label":"Incident","url":"http://vigil.example/incidents/12"}],"#,
            #""recipient":{"chat":"@alice","email":"alice@example.com","name":"Alice"},"role":"primary on-call","#,
            #""sent_at":"2023-11-14T22:13:20Z","subject":"Checkout is failing","#,
            #""text":"Checkout error rate is 7.5 % (threshold 5 %).","version":1}"#,
        ].joined()
        #expect(request.body == expected)
    }

    @Test func slackTextEscapesMarkupAndMentionsThePagedPerson() async throws {
        let receiver = try await WebhookReceiver.start()
        let channel = try NotificationFixtures.channel(
            """
            channels:
              - name: chat
                kind: slack
                url: \(receiver.url("/slack"))
            """
        )
        var notification = NotificationFixtures.notification(text: "Errors <5xx> & timeouts on checkout > 5 %")
        #expect(await sender.deliver(notification, via: channel).result == .delivered)
        notification.recipient = Recipient(name: "Bob", chatHandle: "U024BE7LH")
        #expect(await sender.deliver(notification, via: channel).result == .delivered)
        notification.recipient = nil
        #expect(await sender.deliver(notification, via: channel).result == .delivered)

        let bodies = try receiver.requests().map(\.body)
        let escaped = "Errors &lt;5xx&gt; &amp; timeouts on checkout &gt; 5 %"
        let link = "\\n<http://vigil.example/incidents/12|Incident>"
        let expected: [String] = ["@alice ", "<@U024BE7LH> ", ""].map { mention in
            #"{"text":""# + mention + escaped + link + #""}"#
        }
        #expect(bodies == expected)
    }

    @Test func pagerDutyEventsShareOneDedupKeyAndOnlyTheTriggerCarriesThePayload() async throws {
        let receiver = try await WebhookReceiver.start()
        let channel = try NotificationFixtures.channel(
            """
            channels:
              - name: pager
                kind: pagerduty
                url: \(receiver.url("/v2/enqueue"))
                routing_key: R0UT1NGKEY
            """
        )
        for event in [OutgoingNotification.Event.trigger, .acknowledge, .resolve] {
            let outcome = await sender.deliver(NotificationFixtures.notification(event: event), via: channel)
            #expect(outcome.result == .delivered, "\(event)")
        }
        let update = await sender.deliver(NotificationFixtures.notification(event: .update), via: channel)
        #expect(update.result == .skipped)
        #expect(update.detail.contains("PagerDuty has no update event"))

        let bodies = try receiver.requests().map(\.body)
        #expect(bodies.count == 3, "an update sends nothing")
        let trigger = [
            #"{"client":"vigil","dedup_key":"vigil-12","event_action":"trigger","#,
            #""links":[{"href":"http://vigil.example/incidents/12","text":"Incident"}],"#,
            #""payload":{"class":"high_error_rate","component":"checkout","custom_details":{"#,
            #""delivery_id":"12-trigger-primary","incident_id":12,"kind":"high_error_rate","#,
            #""recipient":"Alice","role":"primary on-call","severity":"SEV-1","status":"INVESTIGATING","#,
            #""text":"Checkout error rate is 7.5 % (threshold 5 %)."},"severity":"critical","#,
            #""source":"checkout","summary":"[SEV-1] checkout: Error rate above 5 %"},"#,
            #""routing_key":"R0UT1NGKEY"}"#,
        ].joined()
        #expect(bodies.first == trigger)
        #expect(
            Array(bodies.dropFirst()) == [
                #"{"dedup_key":"vigil-12","event_action":"acknowledge","routing_key":"R0UT1NGKEY"}"#,
                #"{"dedup_key":"vigil-12","event_action":"resolve","routing_key":"R0UT1NGKEY"}"#,
            ]
        )
    }

    @Test(arguments: [(Severity.sev1, "critical"), (.sev2, "error"), (.sev3, "warning"), (.sev4, "info")])
    func pagerDutySeverityFollowsThePlaybook(severity: Severity, expected: String) throws {
        let event = try #require(PagerDutyEvent(NotificationFixtures.notification(severity: severity), routingKey: "k"))
        #expect(event.payload?.severity == expected)
    }

    @Test func pagerDutySummariesStayWithinTheirLimit() throws {
        var notification = NotificationFixtures.notification()
        notification.title = String(repeating: "é", count: 2000)
        let event = try #require(PagerDutyEvent(notification, routingKey: "k"))
        let summary = try #require(event.payload?.summary)
        #expect(summary.unicodeScalars.count <= 1024)
        #expect(summary.hasSuffix("…"))
    }
}
