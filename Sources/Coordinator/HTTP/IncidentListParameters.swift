import Foundation
import Shared

/// The incident list's filters as text — a URL's query or the command line's options — read the same way for
/// both, so `vigil incidents` refuses exactly what the API would.
struct IncidentListParameters: Hashable, Sendable {
    static let maximumLimit = 1_000

    /// Only these statuses; all when empty.
    var statuses: Set<IncidentStatus> = []
    /// Only these severities; all when empty.
    var severities: Set<Severity> = []
    var since: TimeBound?
    var limit: Int?

    /// Reads each present parameter; the error names the first one that cannot be read.
    init(status: String?, severity: String?, since: String?, limit: String?) throws(APIInputError) {
        if let status { statuses = try Self.statuses(from: status) }
        if let severity { severities = try Self.severities(from: severity) }
        if let since { self.since = try Self.since(from: since) }
        if let limit { self.limit = try Self.limit(from: limit) }
    }

    func query(now: Date) -> IncidentQuery {
        var query = IncidentQuery(statuses: statuses, severities: severities, openedSince: since?.date(relativeTo: now))
        if let limit { query.limit = limit }
        return query
    }

    /// Reads `INVESTIGATING,monitoring`; `open` stands for every status but RESOLVED.
    static func statuses(from text: String) throws(APIInputError) -> Set<IncidentStatus> {
        var statuses: Set<IncidentStatus> = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let word = item.trimmingCharacters(in: .whitespaces)
            if word.lowercased() == "open" {
                statuses.formUnion(IncidentStatus.allCases.filter(\.isOpen))
            } else if let status = IncidentStatus(text: word) {
                statuses.insert(status)
            } else {
                let names = IncidentStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw .invalidParameter(name: "status", value: word, expected: "use \(names) or open, comma-separated")
            }
        }
        return statuses
    }

    /// Reads `SEV-1,sev2,3`.
    static func severities(from text: String) throws(APIInputError) -> Set<Severity> {
        var severities: Set<Severity> = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let word = item.trimmingCharacters(in: .whitespaces)
            guard let severity = Severity(text: word) else {
                throw .invalidParameter(name: "severity", value: word, expected: "use SEV-1 to SEV-4, comma-separated")
            }
            severities.insert(severity)
        }
        return severities
    }

    static func since(from text: String) throws(APIInputError) -> TimeBound {
        guard let bound = TimeBound(text: text) else {
            throw .invalidParameter(name: "since", value: text, expected: TimeBound.expectedText)
        }
        return bound
    }

    static func limit(from text: String) throws(APIInputError) -> Int {
        guard let limit = Int(text), (1...maximumLimit).contains(limit) else {
            throw .invalidParameter(
                name: "limit",
                value: text,
                expected: "use a whole number from 1 to \(maximumLimit)"
            )
        }
        return limit
    }
}
