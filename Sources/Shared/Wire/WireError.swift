/// Why a connection's byte stream or a message on it was refused.
///
/// Every case closes the connection it happened on, after a `Reject` naming it; no other connection is touched.
public struct WireError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// A frame header announced zero bytes.
        case emptyFrame
        /// A frame header announced more than the limit.
        case frameTooLarge
        /// A frame began but did not complete within the frame deadline.
        case frameDeadlineExceeded
        /// Nothing complete arrived within the idle timeout.
        case idleTimeout
        /// The payload is not a valid protobuf `Envelope`.
        case malformedMessage
        /// The message decoded but a field breaks the protocol (bad histogram, seq zero, …).
        case invalidField
        /// A `Hello` that cannot start a session, such as one with an invalid node id.
        case invalidHello
        /// The peer sent a message that is not allowed at this point of the session.
        case unexpectedMessage
        /// The stream ended in the middle of a frame.
        case truncatedFrame
    }

    public let kind: Kind
    /// One line a person can act on.
    public let detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { detail }

    /// The reason a `Reject` carries for this error.
    public var rejectReason: Reject.Reason {
        switch kind {
        case .frameTooLarge: .frameTooLarge
        case .emptyFrame, .malformedMessage, .truncatedFrame: .malformedFrame
        case .frameDeadlineExceeded, .idleTimeout: .timeout
        case .invalidField, .unexpectedMessage: .protocolViolation
        case .invalidHello: .invalidHello
        }
    }
}
