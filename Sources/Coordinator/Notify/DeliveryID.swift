/// One delivery of one notification to one channel, stable across retries: receivers see it as the
/// `Idempotency-Key` header, the webhook body's `delivery_id` and the e-mail's Message-ID, so a retry of a
/// delivery that did arrive can be recognised and dropped.
struct DeliveryID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    let rawValue: String

    init(rawValue: String) { self.rawValue = rawValue }
    init(_ rawValue: String) { self.rawValue = rawValue }

    var description: String { rawValue }
}
