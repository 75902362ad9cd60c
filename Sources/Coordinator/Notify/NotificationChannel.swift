import HTTPTransfer

/// A way to reach people, from the `channels:` section: a generic JSON webhook, a Slack-compatible incoming
/// webhook, PagerDuty's Events API v2, or e-mail over SMTP.
struct NotificationChannel: Hashable, Sendable {
    enum Kind: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
        case webhook
        case slack
        case pagerduty
        case email

        var description: String { rawValue }
    }

    enum Settings: Hashable, Sendable {
        case webhook(Webhook)
        case slack(Slack)
        case pagerDuty(PagerDuty)
        case email(Email)
    }

    var name: ChannelName
    var settings: Settings
    /// The whole of one delivery attempt, connection included.
    var timeout: Duration

    static let defaultTimeout: Duration = .seconds(10)

    init(name: ChannelName, settings: Settings, timeout: Duration = NotificationChannel.defaultTimeout) {
        self.name = name
        self.settings = settings
        self.timeout = timeout
    }

    var kind: Kind {
        switch settings {
        case .webhook: .webhook
        case .slack: .slack
        case .pagerDuty: .pagerduty
        case .email: .email
        }
    }
}

// MARK: - Kind-specific settings

extension NotificationChannel {
    /// A generic JSON webhook (see docs/NOTIFICATIONS.md for the body).
    struct Webhook: Hashable, Sendable {
        /// An http or https URL.
        var url: String
        /// Sent with every request, such as `Authorization`; may not replace `Content-Type` or `Idempotency-Key`.
        var headers: [String: String] = [:]
    }

    /// A Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat).
    struct Slack: Hashable, Sendable {
        var url: String
    }

    /// PagerDuty's Events API v2, or anything that accepts its events.
    struct PagerDuty: Hashable, Sendable {
        static let defaultURL = "https://events.pagerduty.com/v2/enqueue"

        var url: String = PagerDuty.defaultURL
        /// The integration key of the PagerDuty service the events open incidents in.
        var routingKey: SecretText
    }

    /// E-mail over SMTP.
    struct Email: Hashable, Sendable {
        /// When to use STARTTLS on an `smtp://` URL (`smtps://` is TLS throughout).
        enum StartTLS: String, Hashable, Sendable, CaseIterable {
            /// Refuse to send unless the server offers STARTTLS: the default when a username is configured.
            case required
            /// Use it when offered: the default without a username.
            case optional
            /// Never, for a relay without TLS.
            case off
        }

        /// `smtp://host:port` or `smtps://host:port`.
        var smtpURL: String
        var from: MailAddress
        /// Fixed recipients; when empty, the paged person's e-mail address.
        var to: [MailAddress] = []
        var username: String?
        var password: SecretText?
        var startTLS: StartTLS = .optional
        /// A PEM file of the CA that signed the server's certificate, for a private CA.
        var caFile: String?
    }
}
