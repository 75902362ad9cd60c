/// What one delivery attempt came to: delivered, skipped (the channel has nothing to say for this event), or
/// failed, retryable or not, with a one-line detail and how long the attempt took.
struct DeliveryOutcome: Hashable, Sendable, CustomStringConvertible {
    enum Result: Hashable, Sendable {
        case delivered
        /// Nothing was sent, on purpose: PagerDuty has no `update` event.
        case skipped
        /// A retry can help when `retryable`: the receiver was down, slow, overloaded, or refused a login an
        /// operator can fix. It cannot when the request itself was refused or the notification cannot be sent.
        case failed(retryable: Bool)
    }

    /// Why an attempt failed, from a small fixed set a metric or a log can carry as a dimension.
    enum Cause: String, Hashable, Sendable, Codable, CaseIterable {
        /// The receiver answered with a status that is not a success.
        case httpStatus = "http_status"
        /// DNS failed, nothing listened or the host could not be reached.
        case connection
        case timeout
        case tls
        /// SMTP login refused: a configuration problem for an operator, retried until it is fixed.
        case loginRefused = "login_refused"
        case senderRefused = "sender_refused"
        case recipientRefused = "recipient_refused"
        case messageRefused = "message_refused"
        /// E-mail with nobody to send to: no `to` list and no address for the person paged.
        case noAddress = "no_address"
        /// The notification cannot be encoded for this channel (a line break in a subject, for one).
        case invalidNotification = "invalid_notification"
        case other
    }

    var result: Result
    /// One line: `HTTP 202`, `SMTP 250`, `HTTP 503 from hooks.example.com: overloaded`, `no e-mail address for
    /// alice`. Never a URL's path or query, which may hold a secret (a Slack webhook's, for one).
    var detail: String
    /// The HTTP status or the SMTP reply code, when the receiver answered.
    var responseCode: Int?
    /// Nil unless the attempt failed.
    var cause: Cause?
    var elapsed: Duration

    static func delivered(_ detail: String, responseCode: Int?, elapsed: Duration = .zero) -> DeliveryOutcome {
        DeliveryOutcome(result: .delivered, detail: detail, responseCode: responseCode, cause: nil, elapsed: elapsed)
    }

    static func skipped(_ detail: String) -> DeliveryOutcome {
        DeliveryOutcome(result: .skipped, detail: detail, responseCode: nil, cause: nil, elapsed: .zero)
    }

    static func failed(
        _ cause: Cause,
        retryable: Bool,
        _ detail: String,
        responseCode: Int? = nil,
        elapsed: Duration = .zero
    ) -> DeliveryOutcome {
        DeliveryOutcome(
            result: .failed(retryable: retryable),
            detail: detail,
            responseCode: responseCode,
            cause: cause,
            elapsed: elapsed
        )
    }

    var isDelivered: Bool { result == .delivered }

    /// True only for a failure a later attempt may get past.
    var isRetryable: Bool { result == .failed(retryable: true) }

    var description: String {
        switch result {
        case .delivered: "delivered: \(detail)"
        case .skipped: "skipped: \(detail)"
        case .failed(let retryable): "\(retryable ? "failed, will retry" : "failed for good"): \(detail)"
        }
    }
}
