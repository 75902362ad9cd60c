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
        migrator.registerMigration("0002-create-incident") { db in
            // `id` is assigned by the coordinator (operators type it), so no AUTOINCREMENT. Severities are stored
            // as their number: `IN` rather than `BETWEEN` also refuses 2.5.
            try db.execute(
                sql: """
                    CREATE TABLE incident (
                        id INTEGER PRIMARY KEY NOT NULL CHECK (id > 0),
                        kind TEXT NOT NULL,
                        service TEXT NOT NULL,
                        severity INTEGER NOT NULL CHECK (severity IN (1, 2, 3, 4)),
                        peakSeverity INTEGER NOT NULL CHECK (peakSeverity IN (1, 2, 3, 4)),
                        status TEXT NOT NULL CHECK (
                            status IN ('INVESTIGATING', 'IDENTIFIED', 'MONITORING', 'RESOLVED')
                        ),
                        title TEXT NOT NULL,
                        openedAt DATETIME NOT NULL,
                        responseDueAt DATETIME NOT NULL,
                        acknowledgedAt DATETIME,
                        acknowledgedBy TEXT,
                        commander TEXT,
                        affectedNodes TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(affectedNodes)),
                        quietSince DATETIME,
                        resolvedAt DATETIME,
                        resolvedBy TEXT,
                        rootCause TEXT,
                        reopenCount INTEGER NOT NULL DEFAULT 0 CHECK (reopenCount >= 0),
                        peakBadness REAL NOT NULL,
                        updatedAt DATETIME NOT NULL
                    );
                    CREATE INDEX index_incident_on_status ON incident (status);
                    CREATE INDEX index_incident_on_openedAt ON incident (openedAt);
                    CREATE INDEX index_incident_on_kind_service ON incident (kind, service);
                    """
            )
        }
        migrator.registerMigration("0003-create-incident-event") { db in
            // AUTOINCREMENT: ids never come back after a delete, so id order stays insertion order.
            try db.execute(
                sql: """
                    CREATE TABLE incidentEvent (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        incidentId INTEGER NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
                        time DATETIME NOT NULL,
                        kind TEXT NOT NULL CHECK (
                            kind IN (
                                'opened', 'alert_firing', 'alert_resolved', 'severity_raised', 'severity_lowered',
                                'status_changed', 'acknowledged', 'commander_assigned', 'note', 'reopened',
                                'nodes_changed', 'response_overdue'
                            )
                        ),
                        actor TEXT NOT NULL,
                        message TEXT NOT NULL
                    );
                    CREATE INDEX index_incidentEvent_on_incidentId_id ON incidentEvent (incidentId, id);
                    """
            )
        }
        migrator.registerMigration("0004-create-incident-snapshot") { db in
            // The unique constraint is what a snapshot upsert conflicts on; it also indexes the foreign key.
            try db.execute(
                sql: """
                    CREATE TABLE incidentSnapshot (
                        id INTEGER PRIMARY KEY,
                        incidentId INTEGER NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
                        moment TEXT NOT NULL CHECK (moment IN ('open', 'peak')),
                        takenAt DATETIME NOT NULL,
                        readings TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(readings)),
                        UNIQUE (incidentId, moment)
                    )
                    """
            )
        }
        migrator.registerMigration("0005-create-alert") { db in
            // Keyed by `AlertKey.description`, the name detection knows an alert by; rule, subject and
            // groupLabels keep the parts so the key need not be parsed back.
            try db.execute(
                sql: """
                    CREATE TABLE alert (
                        key TEXT PRIMARY KEY NOT NULL,
                        rule TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        groupLabels TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(groupLabels)),
                        kind TEXT NOT NULL,
                        severity INTEGER NOT NULL CHECK (severity IN (1, 2, 3, 4)),
                        service TEXT NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'firing')),
                        activeSince DATETIME NOT NULL,
                        firedAt DATETIME,
                        clearingSince DATETIME,
                        value REAL,
                        comparison TEXT NOT NULL CHECK (comparison IN ('>', '>=', '<', '<=')),
                        threshold REAL NOT NULL,
                        summary TEXT NOT NULL,
                        nodes TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(nodes)),
                        incidentId INTEGER REFERENCES incident (id) ON DELETE SET NULL
                    );
                    CREATE INDEX index_alert_on_incidentId ON alert (incidentId);
                    """
            )
        }
        migrator.registerMigration("0006-widen-incident-event-kinds") { db in
            // SQLite cannot change a CHECK in place: the table is rebuilt with the remediation kinds added,
            // its rows and ids kept.
            try db.execute(
                sql: """
                    CREATE TABLE incidentEvent_new (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        incidentId INTEGER NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
                        time DATETIME NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN (
                            'opened', 'alert_firing', 'alert_resolved', 'severity_raised', 'severity_lowered',
                            'status_changed', 'acknowledged', 'commander_assigned', 'note', 'reopened',
                            'nodes_changed', 'response_overdue', 'command_issued', 'command_finished',
                            'remediation', 'approval', 'escalated'
                        )),
                        actor TEXT NOT NULL,
                        message TEXT NOT NULL
                    );
                    INSERT INTO incidentEvent_new (id, incidentId, time, kind, actor, message)
                        SELECT id, incidentId, time, kind, actor, message FROM incidentEvent;
                    DROP TABLE incidentEvent;
                    ALTER TABLE incidentEvent_new RENAME TO incidentEvent;
                    CREATE INDEX index_incidentEvent_on_incidentId_id ON incidentEvent (incidentId, id);
                    """
            )
        }
        migrator.registerMigration("0007-create-command") { db in
            // Action names are written out, not taken from `ActionName`: a migration must mean the same for ever.
            // A finished command, and only a finished one, has a result outcome.
            try db.execute(
                sql: """
                    CREATE TABLE command (
                        id TEXT PRIMARY KEY NOT NULL,
                        incidentId INTEGER REFERENCES incident (id) ON DELETE SET NULL,
                        node TEXT NOT NULL,
                        action TEXT NOT NULL CHECK (action IN (
                            'restart_service', 'signal_process', 'redis_delete_keys', 'redis_flush_db',
                            'redis_set_maxmemory', 'postgres_terminate_idle', 'http_call', 'run_script'
                        )),
                        parameters TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(parameters)),
                        isDryRun BOOLEAN NOT NULL,
                        issuer TEXT NOT NULL,
                        nodeSequence INTEGER NOT NULL CHECK (nodeSequence > 0),
                        issuedAt DATETIME NOT NULL,
                        expiresAt DATETIME NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'finished', 'expired')),
                        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                        lastSentAt DATETIME,
                        resultOutcome TEXT CHECK (
                            resultOutcome IN ('succeeded', 'failed', 'refused', 'expired', 'duplicate', 'unknown')
                        ),
                        resultExitCode INTEGER,
                        resultOutputTail TEXT,
                        resultStartedAt DATETIME,
                        resultFinishedAt DATETIME,
                        resultDetail TEXT,
                        resultReceivedAt DATETIME,
                        CHECK ((state = 'finished') = (resultOutcome IS NOT NULL)),
                        UNIQUE (node, nodeSequence)
                    );
                    CREATE INDEX index_command_on_node_state ON command (node, state);
                    CREATE INDEX index_command_on_incidentId ON command (incidentId);
                    """
            )
        }
        migrator.registerMigration("0008-create-audit-entry") { db in
            // No foreign key to `command`: the log outlives whatever may one day prune commands, and a refused
            // command has no row. Triggers keep it append-only.
            try db.execute(
                sql: """
                    CREATE TABLE auditEntry (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        time DATETIME NOT NULL,
                        actor TEXT NOT NULL,
                        commandId TEXT,
                        node TEXT NOT NULL,
                        action TEXT NOT NULL,
                        event TEXT NOT NULL CHECK (
                            event IN ('issued', 'sent', 'result', 'expired', 'refused_by_coordinator')
                        ),
                        detail TEXT NOT NULL DEFAULT ''
                    );
                    CREATE INDEX index_auditEntry_on_commandId ON auditEntry (commandId);
                    CREATE TRIGGER auditEntry_no_update BEFORE UPDATE ON auditEntry
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    CREATE TRIGGER auditEntry_no_delete BEFORE DELETE ON auditEntry
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    """
            )
        }
        migrator.registerMigration("0009-create-silence") { db in
            // Times are GRDB's text form, which sorts and compares as the times do.
            try db.execute(
                sql: """
                    CREATE TABLE silence (
                        id TEXT PRIMARY KEY NOT NULL,
                        node TEXT,
                        service TEXT,
                        kind TEXT,
                        startsAt DATETIME NOT NULL,
                        endsAt DATETIME NOT NULL,
                        createdBy TEXT NOT NULL,
                        reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 4000),
                        createdAt DATETIME NOT NULL,
                        removedAt DATETIME,
                        removedBy TEXT,
                        CHECK (endsAt > startsAt),
                        CHECK (node IS NOT NULL OR service IS NOT NULL OR kind IS NOT NULL),
                        CHECK ((removedAt IS NULL) = (removedBy IS NULL))
                    );
                    CREATE INDEX index_silence_on_endsAt ON silence (endsAt);
                    """
            )
        }
        migrator.registerMigration("0010-widen-incident-event-kinds-for-people") { db in
            // Escalation, notifications, status updates, postmortems and bound silences write timeline lines too.
            try db.execute(
                sql: """
                    CREATE TABLE incidentEvent_new (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        incidentId INTEGER NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
                        time DATETIME NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN (
                            'opened', 'alert_firing', 'alert_resolved', 'severity_raised', 'severity_lowered',
                            'status_changed', 'acknowledged', 'commander_assigned', 'note', 'reopened',
                            'nodes_changed', 'response_overdue', 'command_issued', 'command_finished',
                            'remediation', 'approval', 'escalated',
                            'paged', 'escalation', 'notification', 'status_update', 'postmortem', 'silence'
                        )),
                        actor TEXT NOT NULL,
                        message TEXT NOT NULL
                    );
                    INSERT INTO incidentEvent_new (id, incidentId, time, kind, actor, message)
                        SELECT id, incidentId, time, kind, actor, message FROM incidentEvent;
                    DROP TABLE incidentEvent;
                    ALTER TABLE incidentEvent_new RENAME TO incidentEvent;
                    CREATE INDEX index_incidentEvent_on_incidentId_id ON incidentEvent (incidentId, id);
                    """
            )
        }
        migrator.registerMigration("0011-create-escalation") { db in
            // One row per incident Vigil has started paging for; `round` counts reopenings, so a reopened
            // incident climbs again while a page of an earlier round is never sent twice.
            try db.execute(
                sql: """
                    CREATE TABLE escalation (
                        incidentId INTEGER PRIMARY KEY NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
                        round INTEGER NOT NULL DEFAULT 1 CHECK (round >= 1),
                        clockStartedAt DATETIME NOT NULL,
                        severity INTEGER NOT NULL CHECK (severity IN (1, 2, 3, 4)),
                        heldBySilence TEXT,
                        acknowledgementSent BOOLEAN NOT NULL DEFAULT 0,
                        resolutionSent BOOLEAN NOT NULL DEFAULT 0,
                        updatedAt DATETIME NOT NULL
                    );
                    CREATE TABLE escalationPage (
                        incidentId INTEGER NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
                        round INTEGER NOT NULL CHECK (round >= 1),
                        target TEXT NOT NULL CHECK (target IN ('primary', 'secondary', 'manager', 'vp')),
                        role TEXT NOT NULL,
                        person TEXT,
                        severity INTEGER NOT NULL CHECK (severity IN (1, 2, 3, 4)),
                        dueAt DATETIME NOT NULL,
                        pagedAt DATETIME NOT NULL,
                        outcome TEXT NOT NULL CHECK (outcome IN ('paged', 'nobody_on_shift', 'unreachable')),
                        channels TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(channels)),
                        PRIMARY KEY (incidentId, round, target)
                    );
                    CREATE TABLE notification (
                        id TEXT PRIMARY KEY NOT NULL,
                        incidentId INTEGER NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
                        channel TEXT NOT NULL,
                        event TEXT NOT NULL CHECK (event IN ('trigger', 'acknowledge', 'resolve', 'update')),
                        messageKind TEXT NOT NULL,
                        recipient TEXT,
                        payload TEXT NOT NULL CHECK (json_valid(payload)),
                        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
                        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                        createdAt DATETIME NOT NULL,
                        nextAttemptAt DATETIME NOT NULL,
                        finishedAt DATETIME,
                        lastError TEXT,
                        CHECK ((status = 'pending') = (finishedAt IS NULL))
                    );
                    CREATE INDEX index_notification_on_channel_status_nextAttemptAt ON notification (channel, status, nextAttemptAt);
                    CREATE INDEX index_notification_on_incidentId ON notification (incidentId);
                    CREATE TABLE notificationAttempt (
                        notificationId TEXT NOT NULL REFERENCES notification (id) ON DELETE CASCADE,
                        attempt INTEGER NOT NULL CHECK (attempt >= 1),
                        startedAt DATETIME NOT NULL,
                        durationMilliseconds REAL NOT NULL CHECK (durationMilliseconds >= 0),
                        outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'failed')),
                        retryable BOOLEAN NOT NULL,
                        detail TEXT NOT NULL,
                        PRIMARY KEY (notificationId, attempt)
                    );
                    CREATE TABLE statusUpdate (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        incidentId INTEGER NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
                        time DATETIME NOT NULL,
                        status TEXT NOT NULL CHECK (
                            status IN ('INVESTIGATING', 'IDENTIFIED', 'MONITORING', 'RESOLVED')
                        ),
                        message TEXT NOT NULL CHECK (length(message) BETWEEN 1 AND 4000),
                        actionsTaken TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(actionsTaken)),
                        nextSteps TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(nextSteps)),
                        eta TEXT,
                        author TEXT NOT NULL
                    );
                    CREATE INDEX index_statusUpdate_on_incidentId ON statusUpdate (incidentId, id);
                    CREATE TABLE postmortem (
                        incidentId INTEGER PRIMARY KEY NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
                        status TEXT NOT NULL CHECK (status IN ('draft', 'final')),
                        createdAt DATETIME NOT NULL,
                        dueAt DATETIME NOT NULL
                    );
                    ALTER TABLE silence ADD COLUMN incidentId INTEGER REFERENCES incident (id) ON DELETE SET NULL;
                    ALTER TABLE silence ADD COLUMN expiryNotedAt DATETIME;
                    """
            )
        }
        return migrator
    }
}
