import GRDB

extension CoordinatorDatabase: NodeStore {
    func loadNodes() async throws -> [StoredNode] {
        let records = try await writer.read { db in
            try NodeRecord.order(NodeRecord.Columns.id).fetchAll(db)
        }
        return try records.map { record throws(StorageError) in try record.makeStoredNode() }
    }

    func saveNodes(_ nodes: [StoredNode]) async throws {
        let records = nodes.map(NodeRecord.init)
        try await writer.write { db in
            for record in records { try record.upsert(db) }
        }
    }

    func checkHealth() async throws {
        _ = try await writer.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }
}
