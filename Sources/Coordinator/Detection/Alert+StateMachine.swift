import Foundation

/// The pending → firing → resolved steps, with the `for` and `clear_for` hysteresis.
extension Alert {
    /// What one evaluation did to an alert.
    enum Transition: Equatable, Sendable {
        /// Nothing worth recording: still inactive, still pending, still firing.
        case none
        case becamePending
        /// Pending, then clear before `for` ran out: it never fired.
        case abandoned
        case fired
        /// Firing and clear for `clear_for`: it is resolved and no longer kept.
        case resolved
        /// Firing, its condition stopped holding; it resolves unless the condition returns within `clear_for`.
        case clearing
        /// Firing and clearing, and the condition came back before `clear_for`: the same alert goes on.
        case recovered
    }

    /// The next state of `alert` (nil when there is none) given whether the rule's condition holds now.
    ///
    /// - Parameters:
    ///   - measured: the alert as it would be created now if its condition holds (nil when it does not, or there
    ///     is no value): its value, summary and nodes replace the old ones.
    ///   - hasReading: whether the signal had a value at all. A pending alert survives a gap without data up to
    ///     `noDataGrace` (so a restart, whose windows start empty, does not reset its `for` timer); a firing one
    ///     treats no data as clear.
    /// - Returns: the alert to keep (nil when none is) and what happened.
    static func step(
        _ alert: Alert?,
        measured: Alert?,
        hasReading: Bool = true,
        forDuration: Duration,
        clearFor: Duration,
        noDataGrace: Duration = .zero,
        now: Date
    ) -> (alert: Alert?, transition: Transition) {
        switch (alert, measured) {
        case (nil, nil):
            return (nil, .none)
        case (nil, var new?):
            new.state = .pending
            new.activeSince = now
            new.firedAt = nil
            new.clearingSince = nil
            if forDuration <= .zero {
                new.state = .firing
                new.firedAt = now
                return (new, .fired)
            }
            return (new, .becamePending)
        case (var old?, let new?):
            old.value = new.value
            old.summary = new.summary
            old.nodes = new.nodes
            old.severity = new.severity
            old.threshold = new.threshold
            old.comparison = new.comparison
            switch old.state {
            case .pending:
                old.clearingSince = nil
                guard now.timeIntervalSince(old.activeSince) >= forDuration.timeInterval else { return (old, .none) }
                old.state = .firing
                old.firedAt = now
                return (old, .fired)
            case .firing:
                guard old.clearingSince != nil else { return (old, .none) }
                old.clearingSince = nil
                return (old, .recovered)
            }
        case (var old?, nil):
            switch old.state {
            case .pending:
                // While pending, `clearingSince` is when the data stopped.
                guard !hasReading else { return (nil, .abandoned) }
                guard let since = old.clearingSince else {
                    old.clearingSince = now
                    return noDataGrace > .zero ? (old, .none) : (nil, .abandoned)
                }
                return now.timeIntervalSince(since) >= noDataGrace.timeInterval ? (nil, .abandoned) : (old, .none)
            case .firing:
                guard let since = old.clearingSince else {
                    old.clearingSince = now
                    if clearFor <= .zero { return (nil, .resolved) }
                    return (old, .clearing)
                }
                guard now.timeIntervalSince(since) >= clearFor.timeInterval else { return (old, .none) }
                return (nil, .resolved)
            }
        }
    }
}
