import Shared

/// The reply to Redis's `INFO`: `# Section` headers, then `key:value` lines, in CRLF-separated text.
///
/// Parsing is lenient on purpose: fields come and go between Redis versions and forks, so unknown lines
/// are kept and lines that are not `key:value` are skipped; what a caller needs is looked up by name.
struct RedisInfo: Sendable, Equatable {
    /// One `dbN:keys=…,expires=…,avg_ttl=…` line of the Keyspace section.
    struct Keyspace: Sendable, Equatable {
        var database: Int
        var keys: Int64
        var expires: Int64
    }

    /// One `slaveN:ip=…,port=…,state=…,offset=…,lag=…` line of a master's Replication section.
    struct Replica: Sendable, Equatable {
        var address: HostPort
        var state: String
        var lagSeconds: Double?
    }

    /// Field values by section (as written after `#`, lowercased), then by key.
    private(set) var sections: [String: [String: String]] = [:]
    /// Field values by key across sections; the first occurrence wins.
    private(set) var fields: [String: String] = [:]

    init(parsing text: String) {
        var section = ""
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = rawLine.trimmingSuffix("\r")
            if line.hasPrefix("#") {
                section = line.dropFirst().trimmingPrefix(" ").lowercased()
                continue
            }
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else { continue }
            let key = String(line[..<colon])
            let value = String(line[line.index(after: colon)...])
            sections[section, default: [:]][key] = value
            if fields[key] == nil { fields[key] = value }
        }
    }

    subscript(_ key: String) -> String? { fields[key] }

    /// A field as a number, when present and numeric.
    func number(_ key: String) -> Double? {
        fields[key].flatMap { Double($0) }
    }

    /// Databases that hold keys; Redis lists only those.
    var keyspace: [Keyspace] {
        (sections["keyspace"] ?? [:]).compactMap { key, value in
            guard key.hasPrefix("db"), let database = Int(key.dropFirst(2)) else { return nil }
            let pairs = Self.pairs(in: value)
            guard let keys = pairs["keys"].flatMap({ Int64($0) }) else { return nil }
            return Keyspace(database: database, keys: keys, expires: pairs["expires"].flatMap { Int64($0) } ?? 0)
        }
        .sorted { $0.database < $1.database }
    }

    /// The replicas a master lists, in the order it numbers them.
    var replicas: [Replica] {
        (sections["replication"] ?? [:]).compactMap { key, value -> (Int, Replica)? in
            guard key.hasPrefix("slave"), let index = Int(key.dropFirst(5)) else { return nil }
            let pairs = Self.pairs(in: value)
            guard let ip = pairs["ip"], let port = pairs["port"].flatMap({ Int($0) }) else { return nil }
            let replica = Replica(
                address: HostPort(host: ip, port: port),
                state: pairs["state"] ?? "",
                lagSeconds: pairs["lag"].flatMap { Double($0) }
            )
            return (index, replica)
        }
        .sorted { $0.0 < $1.0 }
        .map(\.1)
    }

    /// `a=1,b=2` as a dictionary; the form of keyspace and replica lines.
    static func pairs(in value: String) -> [String: String] {
        var pairs: [String: String] = [:]
        for item in value.split(separator: ",") {
            guard let equals = item.firstIndex(of: "=") else { continue }
            pairs[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        return pairs
    }
}

extension Substring {
    fileprivate func trimmingSuffix(_ suffix: String) -> Substring {
        hasSuffix(suffix) ? dropLast(suffix.count) : self
    }
}
