import Foundation

/// Fills a rule's summary: `{{name}}` placeholders replaced by values, unknown ones left as written.
enum SummaryTemplate {
    static func render(_ template: String, values: [String: String]) -> String {
        var result = ""
        var rest = template[...]
        while let open = rest.range(of: "{{") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                rest = rest[open.lowerBound...]
                break
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            result += values[name] ?? String(rest[open.lowerBound..<close.upperBound])
            rest = rest[close.upperBound...]
        }
        return result + rest
    }

    /// The placeholders a summary may use for a rule with these `groupBy` labels.
    static func knownPlaceholders(groupBy: [String]) -> Set<String> {
        Set(["value", "threshold", "subject", "service", "node"] + groupBy)
    }
}
