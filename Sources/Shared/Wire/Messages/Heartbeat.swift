/// A liveness probe; the peer answers with a `Pong` carrying the same nonce.
public struct Ping: Hashable, Sendable {
    public var nonce: UInt64
    public var sentAtUnixMilliseconds: Int64

    public init(nonce: UInt64, sentAtUnixMilliseconds: Int64) {
        self.nonce = nonce
        self.sentAtUnixMilliseconds = sentAtUnixMilliseconds
    }
}

/// The answer to a `Ping`.
public struct Pong: Hashable, Sendable {
    public var nonce: UInt64
    public var sentAtUnixMilliseconds: Int64

    public init(nonce: UInt64, sentAtUnixMilliseconds: Int64) {
        self.nonce = nonce
        self.sentAtUnixMilliseconds = sentAtUnixMilliseconds
    }
}
