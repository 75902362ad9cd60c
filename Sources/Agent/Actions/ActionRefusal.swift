/// Why the policy will not run a command, naming the rule: it becomes a `refused` result with this as its
/// detail, and nothing runs.
struct ActionRefusal: Error, Equatable, CustomStringConvertible {
    let reason: String

    init(_ reason: String) {
        self.reason = reason
    }

    var description: String { reason }
}
