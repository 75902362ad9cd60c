import Foundation

/// Prints what a change command did: a sentence and the incident's line as it is now, or the API's JSON.
struct IncidentChangeView {
    let incident: Incident
    /// What happened, such as `#12 acknowledged by alice`.
    let summary: String

    func write(as format: OutputFormat, to output: inout some TextOutputStream, now: Date = Date()) throws {
        switch format {
        case .json:
            try PrettyJSON.write(incident, to: &output)
        case .table:
            output.write(TextTable.printable(summary) + "\n")
            try IncidentListView(incidents: [incident]).write(as: .table, to: &output, now: now)
        }
    }
}
