/// One message to hand to an SMTP server: where, from and to whom (the envelope), the bytes, and how to log in.
public struct MailRequest: Sendable, Equatable {
    /// When to switch a plain `smtp://` connection to TLS with STARTTLS; `smtps://` is TLS from the first byte.
    public enum TLSPolicy: String, Sendable, Equatable {
        /// Refuse to send unless the server offers STARTTLS and the handshake succeeds.
        case required
        /// Use STARTTLS when the server offers it; a handshake or certificate failure still fails the transfer.
        case whenOffered
        /// Never start TLS on a `smtp://` connection.
        case never
    }

    /// `smtp://host:port` or `smtps://host:port`; nothing else is spoken.
    public var url: String
    /// `MAIL FROM`, where bounces go.
    public var sender: MailAddress
    /// One `RCPT TO` each; every one must be accepted for the message to go.
    public var recipients: [MailAddress]
    /// The whole message, as `MailMessage.rendered()` makes it.
    public var message: [UInt8]
    public var username: String?
    public var password: String?
    public var tls: TLSPolicy
    /// PEM bundle to verify the server with instead of the system's trust store, for a private CA.
    public var caFile: String?
    /// The whole exchange, from DNS to the server's answer to the message.
    public var timeout: Duration
    public var connectTimeout: Duration

    public init(
        url: String,
        sender: MailAddress,
        recipients: [MailAddress],
        message: [UInt8],
        username: String? = nil,
        password: String? = nil,
        tls: TLSPolicy = .whenOffered,
        caFile: String? = nil,
        timeout: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(10)
    ) {
        self.url = url
        self.sender = sender
        self.recipients = recipients
        self.message = message
        self.username = username
        self.password = password
        self.tls = tls
        self.caFile = caFile
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }
}

/// The server took the message.
public struct MailReceipt: Sendable, Equatable {
    /// The server's last reply code, 250 for a message accepted.
    public var responseCode: Int
    public var totalSeconds: Double
}
