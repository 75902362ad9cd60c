import Foundation

/// The start of a time range as operators write it: an ISO 8601 time, or an age back from now such as `30m`,
/// `24h` or `7d`. An age stays an age until it is resolved, so the server's clock, not the CLI's, decides.
enum TimeBound: Hashable, Sendable {
    case at(Date)
    case ago(Duration)

    /// Ages beyond this are typos, and would overflow date arithmetic long before they meant anything.
    static let longestAge = Duration.seconds(100 * 366 * 86_400)

    static let expectedText = "use an ISO 8601 time such as 2025-01-31T08:00:00Z or an age such as 30m, 24h, 7d"

    /// Reads `90s`, `30m`, `24h`, `7d`, `2w`, or an ISO 8601 time with or without fractional seconds, or a date
    /// alone (midnight UTC); nil for anything else.
    init?(text: String) {
        if let age = Self.age(text) {
            self = .ago(age)
        } else if let date = Self.date(text) {
            self = .at(date)
        } else {
            return nil
        }
    }

    func date(relativeTo now: Date) -> Date {
        switch self {
        case .at(let date): date
        case .ago(let age): now.addingTimeInterval(-age.timeInterval)
        }
    }

    private static func age(_ text: String) -> Duration? {
        guard let unit = text.last, let number = Int64(text.dropLast()), number >= 0 else { return nil }
        let unitSeconds: Int64
        switch unit {
        case "s": unitSeconds = 1
        case "m": unitSeconds = 60
        case "h": unitSeconds = 3_600
        case "d": unitSeconds = 86_400
        case "w": unitSeconds = 7 * 86_400
        default: return nil
        }
        let (seconds, overflow) = number.multipliedReportingOverflow(by: unitSeconds)
        guard !overflow, Duration.seconds(seconds) <= longestAge else { return nil }
        return .seconds(seconds)
    }

    private static func date(_ text: String) -> Date? {
        let optionSets: [ISO8601DateFormatter.Options] = [
            [.withInternetDateTime],
            [.withInternetDateTime, .withFractionalSeconds],
            [.withFullDate],
        ]
        for options in optionSets {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
