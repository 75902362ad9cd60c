import Foundation
import GRDB

/// A row of `statusUpdate`: one update posted to an incident's war room.
struct StatusUpdateRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "statusUpdate"

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let incidentId = Column(CodingKeys.incidentId)
    }

    var id: Int64?
    var incidentId: Int64
    var time: Date
    /// `IncidentStatus.rawValue`.
    var status: String
    var message: String
    /// JSON lists of text.
    var actionsTaken: String
    var nextSteps: String
    var eta: String?
    var author: String

    init(_ update: StatusUpdate, of incident: IncidentID) throws(StorageError) {
        id = nil
        incidentId = incident.rawValue
        time = update.time
        status = update.status.rawValue
        message = update.message
        actionsTaken = try StoredJSON.encode(update.actionsTaken, table: Self.databaseTableName, column: "actionsTaken")
        nextSteps = try StoredJSON.encode(update.nextSteps, table: Self.databaseTableName, column: "nextSteps")
        eta = update.eta
        author = update.author
    }

    func makeUpdate() throws(StorageError) -> StatusUpdate {
        let rowID = id.map(String.init) ?? "?"
        guard let status = IncidentStatus(rawValue: status) else {
            throw .invalidRow(table: Self.databaseTableName, id: rowID, reason: "unknown status \(status)")
        }
        return StatusUpdate(
            time: time,
            status: status,
            message: message,
            actionsTaken: try StoredJSON.decode(
                [String].self, from: actionsTaken, table: Self.databaseTableName, id: rowID, column: "actionsTaken"
            ),
            nextSteps: try StoredJSON.decode(
                [String].self, from: nextSteps, table: Self.databaseTableName, id: rowID, column: "nextSteps"
            ),
            eta: eta,
            author: author
        )
    }
}
