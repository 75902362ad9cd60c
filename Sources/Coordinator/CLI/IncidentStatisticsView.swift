import Foundation
import Shared

/// Prints the response report: per severity, how many incidents, how many were acknowledged and resolved, and
/// the mean times to each, or the API's JSON.
struct IncidentStatisticsView {
    let severities: [SeverityStatistics]

    func write(as format: OutputFormat, to output: inout some TextOutputStream) throws {
        switch format {
        case .json:
            try PrettyJSON.write(IncidentRoutes.StatisticsList(severities: severities), to: &output)
        case .table:
            guard severities.contains(where: { $0.incidents > 0 }) else {
                output.write("no incidents\n")
                return
            }
            var rows = [["SEV", "INCIDENTS", "ACKED", "RESOLVED", "MTTA", "MTTR"]]
            for line in severities.sorted(by: { $0.severity > $1.severity }) {
                rows.append([
                    line.severity.description,
                    String(line.incidents),
                    String(line.acknowledged),
                    String(line.resolved),
                    line.meanTimeToAcknowledgeSeconds.map { DisplayText.duration(seconds: $0) } ?? "-",
                    line.meanTimeToResolveSeconds.map { DisplayText.duration(seconds: $0) } ?? "-",
                ])
            }
            output.write(TextTable(rows: rows).rendered)
        }
    }
}
