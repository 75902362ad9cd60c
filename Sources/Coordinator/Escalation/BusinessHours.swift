import Foundation

/// Working days and hours in one time zone, for the steps that wait for them (SEV-4).
struct BusinessHours: Hashable, Sendable {
    var timeZone: TimeZone
    /// Weekdays as `Calendar` numbers them: 1 is Sunday, 2 Monday … 7 Saturday.
    var weekdays: Set<Int> = [2, 3, 4, 5, 6]
    var startHour = 9
    var endHour = 17

    /// `date` itself when it falls within business hours, else when they next begin (in wall-clock time of the
    /// time zone, so a daylight-saving change moves the instant, not the hour).
    func nextOpening(atOrAfter date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        if isOpen(date, calendar) { return date }
        var day = calendar.startOfDay(for: date)
        for _ in 0..<8 {
            if let opening = calendar.date(bySettingHour: startHour, minute: 0, second: 0, of: day),
                opening >= date, weekdays.contains(calendar.component(.weekday, from: opening))
            {
                return opening
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            day = next
        }
        return date
    }

    private func isOpen(_ date: Date, _ calendar: Calendar) -> Bool {
        let parts = calendar.dateComponents([.weekday, .hour], from: date)
        guard let weekday = parts.weekday, let hour = parts.hour else { return false }
        return weekdays.contains(weekday) && hour >= startHour && hour < endHour
    }
}
