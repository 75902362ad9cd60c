/// A refusal, sent just before closing: the session (or the connection) ends, and this says why.
public struct Reject: Hashable, Sendable, Error, CustomStringConvertible {
    public enum Reason: String, Hashable, Sendable, Codable, CaseIterable {
        case unspecified
        case versionMismatch = "version_mismatch"
        case duplicateNode = "duplicate_node"
        case frameTooLarge = "frame_too_large"
        case malformedFrame = "malformed_frame"
        case protocolViolation = "protocol_violation"
        case invalidHello = "invalid_hello"
        case timeout
        case shuttingDown = "shutting_down"

        /// Whether trying again later can succeed without a change on the agent's side.
        public var isRetryable: Bool {
            switch self {
            case .versionMismatch, .invalidHello: false
            default: true
            }
        }
    }

    public var reason: Reason
    public var detail: String

    public init(reason: Reason, detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(reason.rawValue): \(detail)" }
}
