import Foundation

/// The playbook's severity levels. SEV-1 is the most severe, and compares greatest, so `max()` of a set of
/// severities is the one that matters most.
public enum Severity: Int, Hashable, Sendable, CaseIterable, Comparable, Codable, CustomStringConvertible {
    case sev1 = 1
    case sev2 = 2
    case sev3 = 3
    case sev4 = 4

    /// Reads `SEV-1`, `sev1`, `SEV1` or `1`; nil for anything else.
    public init?(text: String) {
        let compact = text.uppercased().replacingOccurrences(of: "-", with: "")
        let digits = compact.hasPrefix("SEV") ? String(compact.dropFirst(3)) : compact
        guard let number = Int(digits), let severity = Severity(rawValue: number) else { return nil }
        self = severity
    }

    /// `SEV-1` … `SEV-4`, as the playbook writes them.
    public var description: String { "SEV-\(rawValue)" }

    /// The playbook's response time: how soon a person must be on it.
    public var responseTime: Duration {
        switch self {
        case .sev1: .seconds(5 * 60)
        case .sev2: .seconds(15 * 60)
        case .sev3: .seconds(30 * 60)
        case .sev4: .seconds(4 * 60 * 60)
        }
    }

    /// More severe is greater: SEV-1 > SEV-2.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue > rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let severity = Severity(text: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown severity \"\(text)\"")
        }
        self = severity
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
