import Foundation

/// Checks every name a template uses against its vocabulary, including names inside sections, because
/// swift-mustache renders an unknown name as nothing instead of complaining.
///
/// It runs after swift-mustache has parsed the text, so tags are well formed and sections are balanced; it only
/// finds them again, with their lines. Tags that change how the rest is read (partials, inheritance, delimiters,
/// pragmas) are refused: a message template is one self-contained file of plain text.
enum TemplateNameCheck {
    /// swift-mustache's transforms that make sense on our values: text, lists, and a list item's position.
    static let transforms: Set<String> = [
        "uppercased", "lowercased", "capitalized", "count", "empty", "reversed",
        "first", "last", "index", "even", "odd",
    ]
    private static let positionTransforms: Set<String> = ["first", "last", "index", "even", "odd"]

    /// What is valid inside one open section.
    private struct Scope {
        var fields: [String: TemplateVocabulary.Entry]
        /// Inside a section opened on a value or a list item, `.` names it.
        var hasCurrentItem: Bool
        /// Inside a list's section, `first()` and the other position transforms work.
        var isInList: Bool
    }

    static func check(_ text: String, against vocabulary: TemplateVocabulary) throws(TemplateProblem) {
        var scopes = [Scope(fields: vocabulary.entries, hasCurrentItem: false, isInList: false)]
        var line = 1
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            line += rest[..<open.lowerBound].count { $0 == "\n" }
            let tagLine = line
            var body = rest[open.upperBound...]
            let isTriple = body.first == "{"
            if isTriple { body = body.dropFirst() }
            let closing = isTriple ? "}}}" : "}}"
            guard let close = body.range(of: closing) else {
                throw TemplateProblem(line: tagLine, reason: "tag is not closed with \(closing)")
            }
            let tag = String(body[..<close.lowerBound])
            line += tag.count { $0 == "\n" }
            rest = body[close.upperBound...]
            try checkTag(tag, isTriple: isTriple, line: tagLine, scopes: &scopes)
        }
    }

    private static func checkTag(
        _ tag: String,
        isTriple: Bool,
        line: Int,
        scopes: inout [Scope]
    ) throws(TemplateProblem) {
        let sigil = isTriple ? nil : tag.first
        let name = { String(tag.dropFirst()).trimmingCharacters(in: .whitespaces) }
        switch sigil {
        case "!":
            return
        case "#":
            let entry = try lookUp(name(), line: line, scopes: scopes, isSection: true)
            scopes.append(scope(inside: entry))
        case "^":
            _ = try lookUp(name(), line: line, scopes: scopes, isSection: true)
            // An inverted section renders only when its value is missing or empty: nothing new to name inside.
            var scope = scopes[scopes.count - 1]
            scope.fields = [:]
            scopes.append(scope)
        case "/":
            if scopes.count > 1 { scopes.removeLast() }
        case "&":
            _ = try lookUp(name(), line: line, scopes: scopes, isSection: false)
        case ">":
            throw TemplateProblem(line: line, reason: "partials ({{>…}}) are not supported in message templates")
        case "<", "$":
            throw TemplateProblem(line: line, reason: "template inheritance is not supported in message templates")
        case "=":
            throw TemplateProblem(line: line, reason: "changing delimiters is not supported in message templates")
        case "%":
            throw TemplateProblem(line: line, reason: "pragmas are not supported: messages are always plain text")
        default:
            _ = try lookUp(tag.trimmingCharacters(in: .whitespaces), line: line, scopes: scopes, isSection: false)
        }
    }

    /// The entry a tag's name stands for, after its transforms; nil for `.`, a transform's result or an item.
    private static func lookUp(
        _ fullName: String,
        line: Int,
        scopes: [Scope],
        isSection: Bool
    ) throws(TemplateProblem) -> TemplateVocabulary.Entry? {
        // `uppercased(service)`, `count(actions_taken)`, `first()`: transforms outside in, the name innermost.
        var parts = fullName.split(separator: "(", omittingEmptySubsequences: false).map(String.init)
        let name = (parts.removeLast()).trimmingCharacters(in: CharacterSet(charactersIn: ")"))
        let transforms = parts
        let innermost = scopes[scopes.count - 1]
        for transform in transforms where !Self.transforms.contains(transform) {
            let known = Self.transforms.sorted().joined(separator: ", ")
            throw TemplateProblem(line: line, reason: "unknown transform \"\(transform)\" (known: \(known))")
        }
        if name.isEmpty {
            guard !transforms.isEmpty, transforms.allSatisfy(positionTransforms.contains), innermost.isInList else {
                throw TemplateProblem(
                    line: line,
                    reason: "\"\(fullName)\" names nothing; position transforms "
                        + "such as first() work only inside a list's section"
                )
            }
            return nil
        }
        if name == "." {
            guard innermost.hasCurrentItem else {
                throw TemplateProblem(line: line, reason: "\".\" is used outside a section: there is no current item")
            }
            return nil
        }
        guard !name.contains(".") else {
            throw TemplateProblem(
                line: line,
                reason: "dotted name \"\(name)\" is not supported; open a section instead"
            )
        }
        guard let entry = scopes.reversed().lazy.compactMap({ $0.fields[name] }).first else {
            throw TemplateProblem(line: line, reason: unknownReason(name, scopes: scopes, isSection: isSection))
        }
        if transforms.isEmpty || transforms.allSatisfy({ $0 == "reversed" }) { return entry }
        return .value
    }

    private static func scope(inside entry: TemplateVocabulary.Entry?) -> Scope {
        switch entry {
        case .recordList(let fields): Scope(fields: fields, hasCurrentItem: true, isInList: true)
        case .textList: Scope(fields: [:], hasCurrentItem: true, isInList: true)
        case .value, nil: Scope(fields: [:], hasCurrentItem: true, isInList: false)
        }
    }

    private static func unknownReason(_ name: String, scopes: [Scope], isSection: Bool) -> String {
        let what = isSection ? "unknown section" : "unknown variable"
        var nearest: (name: String, distance: Int)?
        for known in scopes.flatMap(\.fields.keys).sorted() {
            let distance = distance(known, name)
            if distance <= 2, distance < nearest?.distance ?? Int.max { nearest = (known, distance) }
        }
        let hint = nearest.map { " (did you mean \"\($0.name)\"?)" } ?? " (docs/MESSAGES.md lists the names)"
        return "\(what) \"\(name)\"" + hint
    }

    /// Levenshtein distance, for suggesting the name a typo meant.
    private static func distance(_ lhs: String, _ rhs: String) -> Int {
        let left = Array(lhs)
        let right = Array(rhs)
        var previous = Array(0...right.count)
        for (i, leftCharacter) in left.enumerated() {
            var current = [i + 1]
            for (j, rightCharacter) in right.enumerated() {
                let cost = leftCharacter == rightCharacter ? 0 : 1
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + cost))
            }
            previous = current
        }
        return previous[right.count]
    }
}
