/// Why a message was not handed over, in one line a person can act on, and of a kind a retry policy can read.
public struct MailTransferError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable, Codable {
        /// DNS failed, nothing listened, or no route: the server was never reached.
        case couldNotConnect = "could_not_connect"
        case timeout
        /// The TLS handshake or the certificate check failed, or STARTTLS was required and not offered.
        case tls
        /// The server refused the username and password (or the mechanism).
        case loginRefused = "login_refused"
        /// `MAIL FROM` was refused: the sender is not allowed, or the server wants a login first.
        case senderRefused = "sender_refused"
        /// A `RCPT TO` was refused.
        case recipientRefused = "recipient_refused"
        /// The server refused the message itself, after `DATA`.
        case messageRefused = "message_refused"
        /// The message could not be built: a line break in a header, no recipient. Never sent.
        case invalidMessage = "invalid_message"
        case badURL = "bad_url"
        case other
    }

    public let kind: Kind
    /// Why, in one line; never holds the password.
    public let reason: String
    /// The server's reply code when it answered with a refusal, such as 535 or 550.
    public let responseCode: Int?

    public init(_ kind: Kind, _ reason: String, responseCode: Int? = nil) {
        self.kind = kind
        self.reason = reason
        self.responseCode = responseCode
    }

    public var description: String { reason }
}
