import Foundation

/// Writes times and durations for people reading a message: in the configured time zone, named after each time,
/// without locale surprises, so the same incident reads the same wherever it is rendered.
struct MessageClock: Sendable {
    let timeZone: TimeZone

    /// `UTC` for UTC, otherwise the zone's IANA name (`Europe/Berlin`): abbreviations such as `CET` are ambiguous.
    var zoneName: String {
        ["GMT", "UTC", "Etc/UTC", "Etc/GMT"].contains(timeZone.identifier) ? "UTC" : timeZone.identifier
    }

    /// `2025-01-31 23:58 UTC`.
    func timestamp(_ date: Date) -> String {
        "\(day(date)) \(clock(date)) \(zoneName)"
    }

    /// `2025-01-31`.
    func day(_ date: Date) -> String {
        let parts = components(date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// `23:58`.
    func clock(_ date: Date) -> String {
        let parts = components(date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }

    /// Whether two times fall on different days in this zone.
    func crossesMidnight(from start: Date, to end: Date) -> Bool {
        day(start) != day(end)
    }

    /// `20250131-2358`, always in UTC so a war room's name does not depend on where it was rendered.
    static func warRoomStamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d%02d%02d-%02d%02d",
            parts.year ?? 0,
            parts.month ?? 0,
            parts.day ?? 0,
            parts.hour ?? 0,
            parts.minute ?? 0
        )
    }

    /// `45 s`, `12 min`, `1 h 12 min`, `2 d 3 h`: two units at most, rounded down to the minute past a minute.
    static func duration(_ seconds: TimeInterval) -> String {
        let total = Int(max(0, seconds.isFinite ? seconds : 0))
        switch total {
        case ..<60: return "\(total) s"
        case ..<3600: return "\(total / 60) min"
        case ..<86_400:
            let minutes = total % 3600 / 60
            return "\(total / 3600) h" + (minutes > 0 ? " \(minutes) min" : "")
        default:
            let hours = total % 86_400 / 3600
            return "\(total / 86_400) d" + (hours > 0 ? " \(hours) h" : "")
        }
    }

    private func components(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    }
}
