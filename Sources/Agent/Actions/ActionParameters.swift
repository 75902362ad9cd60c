import Shared

/// A command's parameters, read for one action: each one named, none unexpected.
///
/// A parameter the action does not take is refused rather than ignored, so that a coordinator asking for
/// something more specific than the agent understands learns so instead of getting something broader.
struct ActionParameters: Sendable {
    let action: ActionName
    private let values: [String: String]

    init(_ values: [String: String], for action: ActionName, accepting names: Set<String>) throws(ActionRefusal) {
        if let unknown = values.keys.sorted().first(where: { !names.contains($0) }) {
            throw ActionRefusal("parameter \"\(unknown)\" is not one \(action.rawValue) takes")
        }
        self.action = action
        self.values = values
    }

    /// The value of `name`, which must be present and not empty.
    func required(_ name: String) throws(ActionRefusal) -> String {
        guard let value = values[name], !value.isEmpty else {
            throw ActionRefusal("\(action.rawValue) needs parameter \"\(name)\"")
        }
        return value
    }

    func optional(_ name: String) -> String? { values[name] }
}
