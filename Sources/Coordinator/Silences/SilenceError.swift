import Foundation

/// Why a silence could not be added, listed or removed.
enum SilenceError: Error, Equatable, CustomStringConvertible {
    case unknownSilence(SilenceID)
    /// The request makes no sense as a silence (no matcher, ends before it starts, no reason).
    case invalid(String)
    /// The store could not be read or written; nothing changed.
    case unavailable(String)

    var description: String {
        switch self {
        case .unknownSilence(let id): "no silence \(id)"
        case .invalid(let reason): reason
        case .unavailable(let reason): "the silence store is unavailable: \(reason)"
        }
    }
}
