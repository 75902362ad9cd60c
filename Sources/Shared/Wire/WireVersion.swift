/// A wire protocol version. Peers with different majors cannot talk; minors only add optional fields.
public struct ProtocolVersion: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The version this build speaks.
    public static let current = ProtocolVersion(major: 1, minor: 0)

    public var major: UInt32
    public var minor: UInt32

    public init(major: UInt32, minor: UInt32) {
        self.major = major
        self.minor = minor
    }

    public var description: String { "\(major).\(minor)" }

    /// Whether a peer speaking `other` can hold a session with this version.
    public func isCompatible(with other: ProtocolVersion) -> Bool { major == other.major }
}
