import Foundation
import GRDB

/// A row of `incidentSnapshot`: at most one per incident and moment.
struct IncidentSnapshotRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "incidentSnapshot"

    enum Columns {
        static let incidentId = Column(CodingKeys.incidentId)
        static let moment = Column(CodingKeys.moment)
    }

    /// Nil until inserted; an upsert keeps the existing row's id.
    var id: Int64?
    var incidentId: Int64
    /// `IncidentSnapshot.Moment.rawValue`.
    var moment: String
    var takenAt: Date
    /// A JSON array of `IncidentSnapshot.Reading`.
    var readings: String

    init(_ snapshot: IncidentSnapshot) throws(StorageError) {
        id = nil
        incidentId = snapshot.incidentID.rawValue
        moment = snapshot.moment.rawValue
        takenAt = snapshot.takenAt
        readings = try StoredJSON.encode(snapshot.readings, table: Self.databaseTableName, column: "readings")
    }

    func makeSnapshot() throws(StorageError) -> IncidentSnapshot {
        let rowID = "\(incidentId)/\(moment)"
        guard let snapshotMoment = IncidentSnapshot.Moment(rawValue: moment) else {
            throw .invalidRow(table: Self.databaseTableName, id: rowID, reason: "unknown moment \(moment)")
        }
        return IncidentSnapshot(
            incidentID: IncidentID(incidentId),
            moment: snapshotMoment,
            takenAt: takenAt,
            readings: try StoredJSON.decode(
                [IncidentSnapshot.Reading].self,
                from: readings,
                table: Self.databaseTableName,
                id: rowID,
                column: "readings"
            )
        )
    }
}

// MARK: - Requests

extension DerivableRequest<IncidentSnapshotRecord> {
    func snapshots(of id: IncidentID) -> Self {
        filter(IncidentSnapshotRecord.Columns.incidentId == id.rawValue)
    }
}
