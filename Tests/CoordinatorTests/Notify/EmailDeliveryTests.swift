import Foundation
import HTTPTransfer
import Shared
import Testing

@testable import Coordinator

/// E-mail channels delivering to a real SMTP server (aiosmtpd) on loopback: refusals first, then what arrives.
@Suite(.timeLimit(.minutes(2))) struct EmailDeliveryTests {
    private let sender = NotificationFixtures.sender
    private static let passwordVariable = "VIGIL_TEST_SMTP_PASSWORD"

    private func channel(
        _ url: String,
        extra: String = "",
        environment: [String: String] = [:]
    ) throws -> NotificationChannel {
        try NotificationFixtures.channel(
            """
            channels:
              - name: mail
                kind: email
                smtp_url: \(url)
                from: Vigil Alerts <vigil@example.com>
                timeout_seconds: 20
            \(extra)
            """,
            environment: environment
        )
    }

    // MARK: - Refusals

    @Test func aLineBreakInTheSubjectCannotInjectAHeaderAndCostsNoPage() async throws {
        let receiver = try await SMTPReceiver.start()
        let notification = NotificationFixtures.notification(subject: "Checkout down\r\nBcc: everyone@example.com")
        let outcome = await sender.deliver(notification, via: try channel(receiver.url))
        #expect(outcome.isDelivered, "\(outcome)")
        let message = try #require(try receiver.messages().first)
        #expect(message.subject == "Checkout down  Bcc: everyone@example.com", "one header line")
        #expect(message.rcptTos == ["alice@example.com"])
        #expect(message.headers["bcc"] == nil)
    }

    @Test func aMessageWithALineBreakInAHeaderIsNeverBuilt() throws {
        let from = try #require(MailAddress("vigil@example.com"))
        let to = try #require(MailAddress("alice@example.com"))
        let message = MailMessage(
            from: from,
            to: [to],
            subject: "Checkout down\r\nBcc: everyone@example.com",
            text: "x",
            date: Date(timeIntervalSince1970: 1_800_000_000),
            messageID: "1@example.com"
        )
        #expect(throws: MailTransferError.self) { try message.rendered() }
    }

    @Test func aPersonWithoutAnAddressIsAFailureNoRetryMends() async throws {
        let receiver = try await SMTPReceiver.start()
        let notification = NotificationFixtures.notification(recipient: Recipient(name: "alice", chatHandle: "@alice"))
        let outcome = await sender.deliver(notification, via: try channel(receiver.url))
        #expect(outcome.result == .failed(retryable: false))
        #expect(outcome.cause == .noAddress)
        #expect(outcome.detail == "no e-mail address for alice")
        let nobody = await sender.deliver(
            NotificationFixtures.notification(recipient: nil),
            via: try channel(receiver.url)
        )
        #expect(nobody.result == .failed(retryable: false))
        #expect(nobody.detail == "no e-mail address: the channel has no to list and nobody is paged")
        #expect(try receiver.messages().isEmpty)
    }

    @Test func aRefusedLoginIsRetriedAndNamedClearly() async throws {
        let receiver = try await SMTPReceiver.start(login: ("vigil", "s3cret"))
        let mail = try channel(
            receiver.url,
            extra: "    username: vigil\n    password_env: \(Self.passwordVariable)\n    starttls: off",
            environment: [Self.passwordVariable: "wrong"]
        )
        let outcome = await sender.deliver(NotificationFixtures.notification(), via: mail)
        #expect(outcome.result == .failed(retryable: true), "an operator fixes the password; retries then succeed")
        #expect(outcome.cause == .loginRefused)
        #expect(outcome.responseCode == 535)
        #expect(
            outcome.detail == "login refused by \(receiver.url) (server answered 535): check the username and password"
        )
        #expect(try receiver.messages().isEmpty)
    }

    @Test func aRefusedRecipientIsNotRetried() async throws {
        let receiver = try await SMTPReceiver.start(refusing: ["gone@example.com"])
        let mail = try channel(receiver.url, extra: "    to: [gone@example.com]")
        let outcome = await sender.deliver(NotificationFixtures.notification(), via: mail)
        #expect(outcome.result == .failed(retryable: false))
        #expect(outcome.cause == .recipientRefused)
        #expect(outcome.responseCode == 550)
        #expect(outcome.detail == "recipient refused by \(receiver.url) (server answered 550)")
    }

    @Test func aServerThatWantsALoginRefusesTheSenderAndThatIsRetried() async throws {
        let receiver = try await SMTPReceiver.start(login: ("vigil", "s3cret"))
        let outcome = await sender.deliver(NotificationFixtures.notification(), via: try channel(receiver.url))
        #expect(outcome.result == .failed(retryable: true))
        #expect(outcome.cause == .senderRefused)
        #expect(outcome.responseCode == 530)
    }

    @Test func aRefusedConnectionIsRetried() async throws {
        let closed = try RefusingPort()
        let outcome = await sender.deliver(
            NotificationFixtures.notification(),
            via: try channel("smtp://127.0.0.1:\(closed.port)")
        )
        #expect(outcome.result == .failed(retryable: true))
        #expect(outcome.cause == .connection)
        #expect(outcome.detail == "could not connect to smtp://127.0.0.1:\(closed.port): connection refused")
    }

    @Test func requiredStartTLSFailsAgainstAServerWithoutIt() async throws {
        let receiver = try await SMTPReceiver.start()
        let outcome = await sender.deliver(
            NotificationFixtures.notification(),
            via: try channel(receiver.url, extra: "    starttls: required")
        )
        #expect(outcome.result == .failed(retryable: true))
        #expect(outcome.cause == .tls)
        #expect(outcome.detail == "TLS failed with \(receiver.url): the server does not offer STARTTLS")
        #expect(try receiver.messages().isEmpty)
    }

    @Test func aCertificateFromAnUnknownCAFailsTheTLSCheck() async throws {
        let directory = try TemporaryDirectory()
        let certificate = try SMTPReceiver.Certificate.make(in: directory.path)
        let receiver = try await SMTPReceiver.start(certificate: certificate)
        let outcome = await sender.deliver(
            NotificationFixtures.notification(),
            via: try channel(receiver.url, extra: "    starttls: required")
        )
        #expect(outcome.result == .failed(retryable: true))
        #expect(outcome.cause == .tls)
        #expect(outcome.detail.hasPrefix("TLS failed with \(receiver.url): SSL certificate problem"))
        #expect(try receiver.messages().isEmpty)
    }

    // MARK: - Deliveries

    @Test func aMessageArrivesWithItsHeadersUTF8SubjectAndBodyIntact() async throws {
        let receiver = try await SMTPReceiver.start()
        let subject = "Störung: checkout — Fehlerrate über 5 % seit 09:05 (Zahlungen schlagen fehl, bitte übernehmen)"
        let text = """
            Fehlerrate 7,5 % auf checkout — Grenze 5 %.
            . a line that starts with a dot
            \(String(repeating: "long line ", count: 120))
            """
        let notification = NotificationFixtures.notification(subject: subject, text: text)
        let outcome = await sender.deliver(notification, via: try channel(receiver.url))
        #expect(outcome.result == .delivered)
        #expect(outcome.detail == "SMTP 250")
        #expect(outcome.responseCode == 250)

        let message = try #require(try receiver.messages().first)
        #expect(message.mailFrom == "vigil@example.com")
        #expect(message.rcptTos == ["alice@example.com"])
        #expect(message.subject == subject)
        #expect(message.from == "Vigil Alerts <vigil@example.com>")
        #expect(message.to == "Alice <alice@example.com>")
        #expect(message.messageId == "<12-trigger-primary@example.com>")
        #expect(message.body == text + "\n\nIncident: http://vigil.example/incidents/12\n")
        #expect(message.headers["date"] == "Tue, 14 Nov 2023 22:13:20 +0000")
        #expect(message.headers["mime-version"] == "1.0")
        #expect(message.data.contains("\r\nContent-Type: text/plain; charset=utf-8\r\n"))
        #expect(message.headers["content-transfer-encoding"] == "quoted-printable")
        #expect(message.headers["x-vigil-incident"] == "12")
        #expect(message.headers["x-vigil-event"] == "trigger")
        #expect(message.headers["x-vigil-severity"] == "SEV-1")
        #expect(message.data.contains("Subject: =?UTF-8?B?"), "a non-ASCII subject is RFC 2047-encoded")
        #expect(
            !message.data.contains("\n\n") && !message.data.replacingOccurrences(of: "\r\n", with: "").contains("\n"),
            "CRLF only"
        )
        #expect(
            message.data.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 78 },
            "no line too long for a relay"
        )
        #expect(!message.authenticated && !message.tls)
    }

    @Test func aPlainASCIIMessageIsSentAs7Bit() async throws {
        let receiver = try await SMTPReceiver.start()
        let outcome = await sender.deliver(NotificationFixtures.notification(), via: try channel(receiver.url))
        #expect(outcome.result == .delivered)
        let message = try #require(try receiver.messages().first)
        #expect(message.headers["content-transfer-encoding"] == "7bit")
        #expect(message.subject == "[SEV-1] checkout: Error rate above 5 %", "the default subject")
        #expect(message.data.contains("Subject: [SEV-1] checkout: Error rate above 5 %\r\n"))
    }

    @Test func aFixedToListReplacesThePagedPerson() async throws {
        let receiver = try await SMTPReceiver.start()
        let mail = try channel(receiver.url, extra: "    to: [ops@example.com, \"Duty Manager <duty@example.com>\"]")
        #expect(await sender.deliver(NotificationFixtures.notification(), via: mail).result == .delivered)
        let message = try #require(try receiver.messages().first)
        #expect(message.rcptTos == ["ops@example.com", "duty@example.com"])
        #expect(message.to == "ops@example.com, Duty Manager <duty@example.com>")
    }

    @Test func aLoginWithThePasswordFromTheEnvironmentDelivers() async throws {
        let receiver = try await SMTPReceiver.start(login: ("vigil", "s3cret"))
        let mail = try channel(
            receiver.url,
            extra: "    username: vigil\n    password_env: \(Self.passwordVariable)\n    starttls: off",
            environment: [Self.passwordVariable: "s3cret"]
        )
        #expect(await sender.deliver(NotificationFixtures.notification(), via: mail).result == .delivered)
        let message = try #require(try receiver.messages().first)
        #expect(message.authenticated)
        #expect(!message.tls)
    }

    @Test func startTLSWithAPrivateCADelivers() async throws {
        let directory = try TemporaryDirectory()
        let certificate = try SMTPReceiver.Certificate.make(in: directory.path)
        let receiver = try await SMTPReceiver.start(certificate: certificate)
        let mail = try channel(
            receiver.url,
            extra: "    starttls: required\n    ca_file: \(certificate.certificatePath)"
        )
        let outcome = await sender.deliver(NotificationFixtures.notification(), via: mail)
        #expect(outcome.result == .delivered, "\(outcome)")
        let message = try #require(try receiver.messages().first)
        #expect(message.tls)
    }

    @Test func optionalStartTLSUsesTLSWhenTheServerOffersIt() async throws {
        let directory = try TemporaryDirectory()
        let certificate = try SMTPReceiver.Certificate.make(in: directory.path)
        let receiver = try await SMTPReceiver.start(certificate: certificate)
        let mail = try channel(receiver.url, extra: "    ca_file: \(certificate.certificatePath)")
        #expect(await sender.deliver(NotificationFixtures.notification(), via: mail).result == .delivered)
        #expect(try receiver.messages().first?.tls == true)
    }
}
