/// Whether a postmortem is still being written or has been reviewed, as its `Status:` line says.
enum PostmortemStatus: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case draft = "Draft"
    case final = "Final"

    /// Reads `draft` or `final` in any case.
    init?(text: String) {
        switch text.lowercased() {
        case "draft": self = .draft
        case "final": self = .final
        default: return nil
        }
    }

    var description: String { rawValue }
}
