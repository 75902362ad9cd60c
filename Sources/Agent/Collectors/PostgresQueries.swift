/// The read-only SQL the PostgreSQL collector runs, and how it names what the server reports.
///
/// Every query only reads statistics views and functions, so a role with `pg_monitor` is enough; without it
/// the server hides other users' session states, which then count as `other`.
enum PostgresQueries {
    /// Whether the server is a replica, and its connection limit.
    static let server = """
        SELECT pg_is_in_recovery(), current_setting('max_connections')::int8
        """

    /// Client sessions by state: how many, the oldest open transaction and the longest time in that state.
    ///
    /// The collector's own session is left out so it never counts itself as an active connection.
    static let activity = """
        SELECT coalesce(state, ''),
               count(*)::int8,
               coalesce(extract(epoch FROM max(clock_timestamp() - xact_start)), 0)::float8,
               coalesce(extract(epoch FROM max(clock_timestamp() - state_change)), 0)::float8
        FROM pg_stat_activity
        WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
        GROUP BY 1
        """

    /// Lock requests that are waiting for another session.
    static let waitingLocks = """
        SELECT count(*)::int8 FROM pg_locks WHERE NOT granted
        """

    /// On a replica, how far replay is behind: 0 when everything received is replayed (an idle primary
    /// writes nothing, so the last replayed transaction ages without the replica being behind), otherwise
    /// the age of the last replayed transaction; NULL when nothing has been replayed since the replica started.
    static let replicaLag = """
        SELECT CASE
            WHEN pg_last_wal_receive_lsn() IS NOT NULL
                AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE greatest(extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 0)
        END::float8
        """

    /// On a primary, each streaming replica: its name, replay lag in seconds and in bytes.
    ///
    /// `replay_lag` is NULL once a replica has caught up and nothing new is written, which reads as 0.
    static let replicas = """
        SELECT coalesce(nullif(application_name, ''), host(client_addr), 'local'),
               coalesce(extract(epoch FROM replay_lag), 0)::float8,
               coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0)::float8
        FROM pg_stat_replication
        """

    /// The `state` label for each value of `pg_stat_activity.state`, in the order they are reported.
    static let stateLabels: KeyValuePairs<String, String> = [
        "active": "active",
        "idle": "idle",
        "idle in transaction": "idle_in_transaction",
        "idle in transaction (aborted)": "idle_in_transaction_aborted",
        "fastpath function call": "fastpath",
        "disabled": "disabled",
    ]

    /// The label for states not in `stateLabels`, including a state the server hides from this role.
    static let otherState = "other"

    /// The `state` label for a `pg_stat_activity.state` value.
    static func stateLabel(for state: String) -> String {
        stateLabels.first { $0.key == state }?.value ?? otherState
    }

    /// Whether sessions in `state` sit inside a transaction doing nothing.
    static func isIdleInTransaction(_ state: String) -> Bool {
        state.hasPrefix("idle in transaction")
    }
}
