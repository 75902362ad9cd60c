/// Why an operator's request about an incident was not carried out.
enum IncidentOperationError: Error, Equatable, CustomStringConvertible {
    case notFound(IncidentID)
    /// The request does not fit the incident's state, such as resolving it while alerts still fire.
    case conflict(IncidentID, String)
    /// The request itself is wrong: an empty note, an unknown status.
    case invalid(String)
    /// The store could not be read or written; nothing was changed.
    case unavailable(String)

    var description: String {
        switch self {
        case .notFound(let id): "no incident \(id)"
        case .conflict(let id, let reason): "incident \(id): \(reason)"
        case .invalid(let reason): reason
        case .unavailable(let reason): "the incident store is unavailable: \(reason)"
        }
    }
}
