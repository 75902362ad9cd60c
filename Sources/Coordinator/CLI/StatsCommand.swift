import ArgumentParser
import Foundation

/// `vigil stats`: how fast incidents were acknowledged and resolved, per severity, against the playbook.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show incident counts, MTTA and MTTR by severity."
    )

    @OptionGroup var client: ClientOptions

    @Option(name: .long, help: "Only incidents opened since an ISO 8601 time or an age such as 30d (default: all).")
    var since: String?

    func validate() throws {
        do {
            if let since { _ = try IncidentListParameters.since(from: since) }
        } catch {
            throw ValidationError(IncidentsCommand.usageMessage(for: error))
        }
    }

    func run() async throws {
        let path = APIClient.path("/api/v1/incidents/stats", query: [("since", since)])
        let statistics = try await client.makeClient().get(path, as: IncidentRoutes.StatisticsList.self)
        var output = StandardOutput()
        try IncidentStatisticsView(severities: statistics.severities).write(as: client.output, to: &output)
    }
}
