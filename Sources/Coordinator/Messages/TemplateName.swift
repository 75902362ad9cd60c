/// Which built-in template an override replaces: one per message kind, and the postmortem. Its key under
/// `messages.templates` is the kind's name (`status-update`) or `postmortem`.
enum TemplateName: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case message(MessageKind)
    case postmortem

    static let allCases: [TemplateName] = MessageKind.allCases.map(TemplateName.message) + [.postmortem]

    init?(key: String) {
        if key == "postmortem" {
            self = .postmortem
        } else if let kind = MessageKind(rawValue: key) {
            self = .message(kind)
        } else {
            return nil
        }
    }

    var key: String {
        switch self {
        case .message(let kind): kind.rawValue
        case .postmortem: "postmortem"
        }
    }

    var description: String { key }
}
