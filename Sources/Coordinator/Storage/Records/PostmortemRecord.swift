import Foundation
import GRDB

/// A row of `postmortem`: the postmortem an incident owes and by when.
struct PostmortemRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "postmortem"

    var incidentId: Int64
    var status: String
    var createdAt: Date
    var dueAt: Date

    init(_ draft: PostmortemDraft) {
        incidentId = draft.incidentID.rawValue
        status = draft.status.rawValue
        createdAt = draft.createdAt
        dueAt = draft.dueAt
    }

    func makeDraft() throws(StorageError) -> PostmortemDraft {
        guard let status = PostmortemDraft.Status(rawValue: status) else {
            throw .invalidRow(table: Self.databaseTableName, id: "\(incidentId)", reason: "unknown status \(status)")
        }
        return PostmortemDraft(incidentID: IncidentID(incidentId), status: status, createdAt: createdAt, dueAt: dueAt)
    }
}
