/// A password or key read from the configuration or the environment, kept out of every description so that
/// logging a channel, a setting or an error never shows it.
struct SecretText: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself, for the one place that sends it.
    let revealed: String

    init(_ revealed: String) {
        self.revealed = revealed
    }

    var description: String { "(hidden)" }
    var debugDescription: String { "(hidden)" }
    var customMirror: Mirror { Mirror(self, children: []) }
}
