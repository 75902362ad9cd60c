/// Why a template cannot be used, and where in its text: the line as people count lines, when known.
struct TemplateProblem: Error, Hashable, Sendable, CustomStringConvertible {
    var line: Int?
    var reason: String

    var description: String { (line.map { "line \($0): " } ?? "") + reason }
}
