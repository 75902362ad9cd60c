import Foundation

/// Prints silences one per line, as `vigil silence list` shows them, or as the API's JSON.
struct SilenceListView {
    let silences: [Silence]

    /// - Parameter single: print one silence as a JSON object rather than a list (add and remove answer one).
    func write(
        as format: OutputFormat,
        to output: inout some TextOutputStream,
        single: Bool = false,
        now: Date = Date()
    ) throws {
        switch format {
        case .json:
            if single, let silence = silences.first {
                try PrettyJSON.write(silence, to: &output)
            } else {
                try PrettyJSON.write(SilenceRoutes.SilenceList(silences: silences), to: &output)
            }
        case .table:
            guard !silences.isEmpty else {
                output.write("no silences\n")
                return
            }
            let header = ["ID", "MATCHES", "STATE", "STARTS", "ENDS", "BY", "REASON"]
            output.write(TextTable(rows: [header] + silences.map { Self.row(for: $0, now: now) }).rendered)
        }
    }

    static func row(for silence: Silence, now: Date) -> [String] {
        let state = silence.state(at: now)
        let stateText =
            switch state {
            case .removed: "removed by \(silence.removedBy ?? "?")"
            default: state.rawValue
            }
        let reason = silence.reason.count > 60 ? String(silence.reason.prefix(60)) + "…" : silence.reason
        return [
            silence.id.rawValue, silence.matcherText, stateText, DisplayText.timestamp(silence.startsAt),
            DisplayText.timestamp(silence.endsAt), silence.createdBy, reason,
        ]
    }
}
