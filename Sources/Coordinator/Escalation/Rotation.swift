import Foundation

/// People taking turns: each holds the shift for `shiftDays` days from the hand-off time, in order, in the
/// team's time zone. Hand-offs happen at the same wall-clock time whatever daylight saving does.
struct Rotation: Hashable, Sendable {
    var name: String
    var members: [String]
    var shiftDays: Int
    /// The first hand-off: `members[0]` holds the shift from then.
    var start: Date
    var timeZone: TimeZone
    /// People standing in for whoever holds this position over a stretch of time; the latest added wins where
    /// two overlap.
    var overrides: [Override] = []

    struct Override: Hashable, Sendable {
        var person: String
        var from: Date
        var until: Date
    }

    /// Why a rotation cannot be used.
    enum Problem: Error, Equatable, CustomStringConvertible {
        case noMembers(String)
        case shiftTooShort(String)

        var description: String {
            switch self {
            case .noMembers(let name): "rotation \(name) has no members"
            case .shiftTooShort(let name): "rotation \(name): shift_days must be 1 or more"
            }
        }
    }

    func validate() throws(Problem) {
        guard !members.isEmpty else { throw .noMembers(name) }
        guard shiftDays >= 1 else { throw .shiftTooShort(name) }
    }

    /// Who holds the shift at `date`, `offset` places further along (1 for a secondary that follows the
    /// primary's rotation); nil before the first hand-off or without members. An override wins whatever the offset:
    /// a position that follows another's rotation carries its own overrides.
    func holder(at date: Date, offset: Int = 0) -> String? {
        if let override = activeOverride(at: date) { return override.person }
        guard !members.isEmpty, shiftDays >= 1, date >= start, let shift = shiftIndex(at: date) else { return nil }
        return members[(shift + offset) % members.count]
    }

    func activeOverride(at date: Date) -> Override? {
        overrides.last { $0.from <= date && date < $0.until }
    }

    /// When the holder at `date` next changes: the end of an override in force, the next override to begin, or
    /// the next hand-off; nil before the first hand-off.
    func nextChange(after date: Date) -> Date? {
        if let override = activeOverride(at: date) { return override.until }
        guard !members.isEmpty, shiftDays >= 1 else { return nil }
        let handOff: Date?
        if members.count == 1 {
            // One member holds it for good; only overrides change the holder.
            handOff = date < start ? start : nil
        } else if date < start {
            handOff = start
        } else {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            handOff = shiftIndex(at: date).flatMap { shift in
                calendar.date(byAdding: .day, value: (shift + 1) * shiftDays, to: start)
            }
        }
        let nextOverride = overrides.map(\.from).filter { $0 > date }.min()
        return [handOff, nextOverride].compactMap { $0 }.min()
    }

    /// How many hand-offs have happened by `date`, counting wall-clock days in the rotation's time zone.
    private func shiftIndex(at date: Date) -> Int? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard let days = calendar.dateComponents([.day], from: start, to: date).day else { return nil }
        var shift = days / shiftDays
        // `days` counts whole wall-clock days; the hand-off of the current shift may still be ahead today.
        while shift > 0, let handOff = calendar.date(byAdding: .day, value: shift * shiftDays, to: start),
            handOff > date
        {
            shift -= 1
        }
        return shift
    }
}
