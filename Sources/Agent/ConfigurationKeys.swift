import Yams

/// Finds keys a configuration file does not know, naming the line, so a misspelt key is not silently ignored.
enum ConfigurationKeys {
    /// Throws for the first key absent from `allowed`; `allowed[""]` lists the top level, `allowed["x"]` the
    /// keys inside mapping `x`. Sections absent from `allowed` (free-form maps such as labels) are not checked.
    static func checkKnown(_ root: Node, allowed: [String: Set<String>], source: String) throws(ConfigurationError) {
        guard case .mapping(let mapping) = root else {
            throw .invalid(source: source, detail: "the file must be a mapping of keys to values")
        }
        try check(mapping, section: "", allowed: allowed, source: source)
    }

    private static func check(_ mapping: Node.Mapping, section: String, allowed: [String: Set<String>], source: String)
        throws(ConfigurationError)
    {
        guard let known = allowed[section] else { return }
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            let path = section.isEmpty ? name : "\(section).\(name)"
            guard known.contains(name) else {
                let line = key.mark.map { "line \($0.line): " } ?? ""
                throw .invalid(source: source, detail: "\(line)unknown key \"\(path)\"")
            }
            if case .mapping(let nested) = value {
                try check(nested, section: path, allowed: allowed, source: source)
            }
        }
    }
}
