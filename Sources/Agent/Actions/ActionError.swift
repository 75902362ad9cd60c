/// Why an action could not be carried out; each becomes a `failed` result with this line as its detail.
enum ActionError: Error, CustomStringConvertible, Equatable {
    case launchFailed(executable: String, reason: String)
    case timedOut(action: String, after: Duration)
    case unavailable(target: String, reason: String)

    var description: String {
        switch self {
        case .launchFailed(let executable, let reason): "cannot run \(executable): \(reason)"
        case .timedOut(let action, let after): "\(action) did not finish within \(after)"
        case .unavailable(let target, let reason): "\(target): \(reason)"
        }
    }

    /// Whether running the same command again may help: a timeout or an unreachable server may pass, a
    /// program that cannot be started will not.
    var isRetryable: Bool {
        switch self {
        case .launchFailed: false
        case .timedOut, .unavailable: true
        }
    }
}
