import Foundation
import Yams

/// Reads a section of the agent's YAML with errors that name the line: unknown keys (a misspelt key is never
/// silently ignored) and wrong types are both refused before the agent starts.
enum ConfigurationNode {
    /// Decodes `type` from `node`, first refusing keys outside `allowed`.
    ///
    /// `allowed[""]` lists the keys of `node` itself; `allowed["x"]` those inside mapping `x`, and
    /// `allowed["x[]"]` those of each mapping in list `x`. Sections absent from `allowed` (free-form maps such
    /// as labels) are not checked. `path` prefixes the key names in messages.
    static func decode<T: Decodable>(
        _ type: T.Type,
        from node: Node,
        allowed: [String: Set<String>],
        path: String,
        source: String
    ) throws(ConfigurationError) -> T {
        try checkKnown(node, allowed: allowed, section: "", path: path, source: source)
        do {
            return try YAMLDecoder().decode(type, from: node)
        } catch {
            throw describe(error, in: node, path: path, source: source)
        }
    }

    /// The line of `node` as people count lines, when the parser kept it.
    static func line(of node: Node) -> Int? { node.mark?.line }

    private static func checkKnown(
        _ node: Node,
        allowed: [String: Set<String>],
        section: String,
        path: String,
        source: String
    ) throws(ConfigurationError) {
        guard let known = allowed[section] else { return }
        guard case .mapping(let mapping) = node else {
            let line = line(of: node).map { "line \($0): " } ?? ""
            throw .invalid(source: source, detail: "\(line)\(path.isEmpty ? "the file" : path) must be a mapping of keys to values")
        }
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            let keyPath = path.isEmpty ? name : "\(path).\(name)"
            guard known.contains(name) else {
                let line = line(of: key).map { "line \($0): " } ?? ""
                throw .invalid(source: source, detail: "\(line)unknown key \"\(keyPath)\"")
            }
            let nested = section.isEmpty ? name : "\(section).\(name)"
            switch value {
            case .mapping:
                try checkKnown(value, allowed: allowed, section: nested, path: keyPath, source: source)
            case .sequence(let items) where allowed[nested + "[]"] != nil:
                for (index, item) in items.enumerated() {
                    try checkKnown(item, allowed: allowed, section: nested + "[]", path: "\(keyPath)[\(index)]", source: source)
                }
            default:
                break
            }
        }
    }

    /// Turns a decoding error into one line with the key path and, where the node can be found, its line.
    static func describe(_ error: any Error, in root: Node, path: String, source: String) -> ConfigurationError {
        let codingPath: [any CodingKey]
        let reason: String
        switch error {
        case DecodingError.typeMismatch(let type, let context):
            codingPath = context.codingPath
            reason = "expected \(describe(type))"
        case DecodingError.valueNotFound(let type, let context):
            codingPath = context.codingPath
            reason = "expected \(describe(type)), found nothing"
        case DecodingError.dataCorrupted(let context):
            codingPath = context.codingPath
            reason = context.debugDescription
        case DecodingError.keyNotFound(let key, let context):
            codingPath = context.codingPath
            reason = "missing key \"\(key.stringValue)\""
        case let error as ConfigurationError:
            return error
        default:
            return .invalid(source: source, detail: "\(error)".split(whereSeparator: \.isNewline).joined(separator: " "))
        }
        let names = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
        let keyPath = ([path].filter { !$0.isEmpty } + names).joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        let line = find(codingPath, in: root).flatMap(line(of:)).map { "line \($0): " } ?? ""
        return .invalid(source: source, detail: "\(line)\(keyPath.isEmpty ? "" : keyPath + ": ")\(reason)")
    }

    private static func find(_ codingPath: [any CodingKey], in root: Node) -> Node? {
        var node = root
        for key in codingPath {
            switch node {
            case .mapping(let mapping):
                guard let next = mapping[Node(key.stringValue)] else { return node }
                node = next
            case .sequence(let items):
                guard let index = key.intValue, items.indices.contains(index) else { return node }
                node = items[index]
            default:
                return node
            }
        }
        return node
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Int.Type, is Int64.Type, is UInt16.Type, is UInt64.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: "\(type)".hasPrefix("Array") ? "a list" : "a mapping"
        }
    }
}
