import Foundation

extension Duration {
    /// The duration in seconds, for arithmetic with `Date`.
    var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// A duration of `seconds`, for the other direction.
    init(timeInterval seconds: TimeInterval) {
        self = .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}
