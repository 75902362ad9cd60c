import GRDB

/// The schema's history. Append only: a merged migration is never edited.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("0001-create-node") { db in
            try db.execute(
                sql: """
                    CREATE TABLE node (
                        id TEXT PRIMARY KEY NOT NULL,
                        hostname TEXT NOT NULL,
                        agentVersion TEXT NOT NULL,
                        labels TEXT NOT NULL DEFAULT '{}',
                        firstSeenAt DATETIME NOT NULL,
                        lastSeenAt DATETIME NOT NULL,
                        connectionState TEXT NOT NULL CHECK (connectionState IN ('connected', 'disconnected')),
                        peerAddress TEXT NOT NULL DEFAULT '',
                        lastReportSeq INTEGER NOT NULL DEFAULT 0 CHECK (lastReportSeq >= 0),
                        reportsReceived INTEGER NOT NULL DEFAULT 0 CHECK (reportsReceived >= 0),
                        duplicateReports INTEGER NOT NULL DEFAULT 0 CHECK (duplicateReports >= 0)
                    )
                    """
            )
        }
        return migrator
    }
}
