import Foundation

/// How the operator commands write times, durations and readings for people: short, in UTC, without locale
/// surprises, so the same incident reads the same on every terminal.
enum DisplayText {
    /// `42s ago`, `5m ago`, `3h ago`, `2d ago`: coarse on purpose, for scanning a table.
    static func age(since date: Date, now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        switch seconds {
        case ..<60: return "\(seconds)s ago"
        case ..<3600: return "\(seconds / 60)m ago"
        case ..<86_400: return "\(seconds / 3600)h ago"
        default: return "\(seconds / 86_400)d ago"
        }
    }

    /// `in 4m12s` for a time still ahead, `4m12s ago` for one passed.
    static func relative(_ date: Date, now: Date) -> String {
        let seconds = date.timeIntervalSince(now)
        return seconds >= 0 ? "in \(duration(seconds: seconds))" : "\(duration(seconds: -seconds)) ago"
    }

    /// `42s`, `4m12s`, `3h05m`, `2d04h`: two units at most, which is as precise as MTTA and MTTR need to be.
    static func duration(seconds: Double) -> String {
        guard seconds.isFinite else { return "-" }
        let total = Int(max(0, seconds).rounded())
        switch total {
        case ..<60: return "\(total)s"
        case ..<3600: return "\(total / 60)m" + String(format: "%02ds", total % 60)
        case ..<86_400: return "\(total / 3600)h" + String(format: "%02dm", total % 3600 / 60)
        default: return "\(total / 86_400)d" + String(format: "%02dh", total % 86_400 / 3600)
        }
    }

    static func duration(_ duration: Duration) -> String {
        self.duration(seconds: duration.timeInterval)
    }

    /// `2025-01-31 08:00:05Z`: UTC, to the second.
    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02dZ",
            parts.year ?? 0,
            parts.month ?? 0,
            parts.day ?? 0,
            parts.hour ?? 0,
            parts.minute ?? 0,
            parts.second ?? 0
        )
    }

    /// A signal's value: whole numbers as they are, others to four significant digits.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return String(value) }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        if abs(value) >= 1_000 { return String(format: "%.1f", value) }
        return String(format: "%.4g", value)
    }
}
