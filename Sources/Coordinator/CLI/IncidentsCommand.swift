import ArgumentParser
import Foundation

/// `vigil incidents`: the incidents that match the filters, newest first.
struct IncidentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents",
        abstract: "List incidents: severity, status, age, who acknowledged them."
    )

    @OptionGroup var client: ClientOptions

    @Option(name: .long, help: "Only these statuses, comma-separated; 'open' is every status but RESOLVED.")
    var status: String?

    @Option(name: .long, help: "Only these severities, comma-separated, such as SEV-1,SEV-2.")
    var severity: String?

    @Option(name: .long, help: "Only incidents opened since an ISO 8601 time or an age such as 30m, 24h, 7d.")
    var since: String?

    @Option(name: .long, help: "At most this many incidents (1 to \(IncidentListParameters.maximumLimit)).")
    var limit: String?

    func validate() throws {
        do {
            _ = try IncidentListParameters(status: status, severity: severity, since: since, limit: limit)
        } catch {
            throw ValidationError(Self.usageMessage(for: error))
        }
    }

    func run() async throws {
        let path = APIClient.path(
            "/api/v1/incidents",
            query: [("status", status), ("severity", severity), ("since", since), ("limit", limit)]
        )
        let list = try await client.makeClient().get(path, as: IncidentRoutes.IncidentList.self)
        var output = StandardOutput()
        try IncidentListView(incidents: list.incidents).write(as: client.output, to: &output)
    }

    /// The API's message with the parameter written as the option the operator typed: `invalid --since "x": …`.
    static func usageMessage(for error: APIInputError) -> String {
        guard case .invalidParameter(let name, let value, let expected) = error else { return error.description }
        return "invalid --\(name) \(APIInputError.quoted(value)): \(expected)"
    }
}
