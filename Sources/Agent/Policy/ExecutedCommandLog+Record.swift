import Foundation
import Shared

extension ExecutedCommandLog {
    /// One line of the log file.
    struct Record: Codable, Equatable {
        enum Event: String, Codable {
            case started, finished
        }

        var id: String
        var event: Event
        var action: String
        var startedAt: Date
        var outcome: CommandResult.Outcome?
        var exitCode: Int32?
        var outputTail: String?
        var detail: String?
        var finishedAt: Date?

        init(id: String, event: Event, action: String, startedAt: Date) {
            self.id = id
            self.event = event
            self.action = action
            self.startedAt = startedAt
        }

        /// What this line says about its id.
        var entry: Entry {
            guard event == .finished, let outcome else { return .started(action: action, at: startedAt) }
            return .finished(
                CommandResult(
                    commandID: id,
                    outcome: outcome,
                    exitCode: exitCode ?? 0,
                    outputTail: outputTail ?? "",
                    startedAt: startedAt,
                    finishedAt: finishedAt ?? startedAt,
                    detail: detail ?? ""
                )
            )
        }

        /// The lines that say `entry` again when the file is compacted.
        static func records(for id: String, _ entry: Entry) -> [Record] {
            switch entry {
            case .started(let action, let date):
                return [Record(id: id, event: .started, action: action, startedAt: date)]
            case .finished(let result):
                var record = Record(id: id, event: .finished, action: "", startedAt: result.startedAt)
                record.outcome = result.outcome
                record.exitCode = result.exitCode
                record.outputTail = result.outputTail
                record.detail = result.detail
                record.finishedAt = result.finishedAt
                return [record]
            }
        }
    }
}
