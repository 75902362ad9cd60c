import Foundation
import Logging
import PostgresNIO
import Shared
import Synchronization
import Testing

@testable import Agent

/// The PostgreSQL collector against real PostgreSQL 15 servers; each test starts its own, so the sessions
/// a test counts are exactly the ones it opened.
@Suite(.timeLimit(.minutes(1)))
struct PostgresCollectorTests {
    private let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    private func makeCollector(
        port: Int,
        password: String? = PostgresServer.password,
        tls: PostgresCollector.Target.TLSMode = .disable,
        timeout: Duration = .seconds(5)
    ) -> PostgresCollector {
        PostgresCollector(
            target: PostgresCollector.Target(
                name: "main",
                host: "127.0.0.1",
                port: port,
                user: PostgresServer.user,
                password: password,
                database: "postgres",
                tls: tls
            ),
            timing: CollectorTiming(interval: .seconds(10), timeout: timeout)
        )
    }

    /// Collects until `condition` holds for the output, or fails after `timeout`.
    private func collect(
        _ collector: PostgresCollector,
        until condition: (CollectorOutput) -> Bool,
        timeout: Duration = .seconds(20)
    ) async throws -> CollectorOutput {
        let deadline = ContinuousClock.now + timeout
        var output = try await collector.collect()
        while !condition(output), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            output = try await collector.collect()
        }
        return output
    }

    private func query(_ connection: PostgresConnection, _ sql: String) async throws {
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }

    // MARK: - Sessions, locks, transactions

    @Test func countsTheTestsOwnSessionsByStateAgainstMaxConnections() async throws {
        let server = try await PostgresServer.start(settings: ["max_connections=37"])
        let sessions = [try await server.connect(), try await server.connect(), try await server.connect()]
        try await query(sessions[2], "BEGIN")

        let output = try await makeCollector(port: server.port).collect()

        let expected: [String: Double] = [
            "active": 0, "idle": 2, "idle_in_transaction": 1, "idle_in_transaction_aborted": 0,
            "fastpath": 0, "disabled": 0, "other": 0,
        ]
        for (state, count) in expected {
            #expect(output.value("postgres_connections", ["state": state]) == count, "state \(state)")
        }
        #expect(output.value("postgres_up") == 1)
        #expect(output.value("postgres_connections_total") == 3, "the collector's own session is not counted")
        #expect(output.value("postgres_max_connections") == 37)
        #expect(output.value("postgres_connections_used_ratio") == 3.0 / 37.0)
        #expect(output.value("postgres_is_replica") == 0)
        #expect(try #require(output.value("postgres_longest_idle_in_transaction_seconds")) > 0)
        #expect(output.value("postgres_waiting_locks") == 0)
        #expect(output.value("postgres_replication_lag_seconds") == nil, "a primary has no replay lag")
        #expect(output.measurements.allSatisfy { $0.series.labels["instance"] == "main" })
        for session in sessions { try await session.close() }
    }

    @Test func countsALockRequestThatWaits() async throws {
        let server = try await PostgresServer.start()
        try await server.execute("CREATE TABLE t (x int)")
        let holder = try await server.connect()
        let waiter = try await server.connect()
        try await query(holder, "BEGIN")
        try await query(holder, "LOCK TABLE t")
        let collector = makeCollector(port: server.port)

        let output = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.query(waiter, "SELECT * FROM t") }
            let output = try await collect(collector) { ($0.value("postgres_waiting_locks") ?? 0) >= 1 }
            try await query(holder, "ROLLBACK")
            try await group.waitForAll()
            return output
        }

        #expect(try #require(output.value("postgres_waiting_locks")) >= 1)
        #expect(output.value("postgres_connections", ["state": "active"]) == 1, "the waiting SELECT is active")
        try await holder.close()
        try await waiter.close()
    }

    @Test func longestTransactionGrowsWhileItStaysOpen() async throws {
        let server = try await PostgresServer.start()
        let session = try await server.connect()
        try await query(session, "BEGIN")
        try await query(session, "SELECT txid_current()")
        let collector = makeCollector(port: server.port)

        let first = try #require(try await collector.collect().value("postgres_longest_transaction_seconds"))
        let later = try await collect(collector) {
            ($0.value("postgres_longest_transaction_seconds") ?? 0) > first
        }

        #expect(first > 0)
        #expect(try #require(later.value("postgres_longest_transaction_seconds")) > first)
        try await query(session, "COMMIT")
        let after = try await collector.collect()
        #expect(after.value("postgres_longest_transaction_seconds") == 0, "no transaction is open any more")
        try await session.close()
    }

    // MARK: - Replication

    @Test func pausedReplayShowsLagOnTheReplicaAndPerReplicaOnThePrimary() async throws {
        let primary = try await PostgresServer.start()
        try await primary.execute("CREATE TABLE r (x int)")
        let replica = try await PostgresServer.startReplica(of: primary, name: "replica1")
        let onPrimary = makeCollector(port: primary.port)
        let onReplica = makeCollector(port: replica.port)

        // A replayed transaction first: until then the replica has no replay time to measure lag from.
        try await primary.execute("INSERT INTO r VALUES (1)")
        let caughtUp = try await collect(onReplica) { $0.value("postgres_replication_lag_seconds") == 0 }
        #expect(caughtUp.value("postgres_is_replica") == 1)
        #expect(caughtUp.value("postgres_replication_lag_seconds") == 0, "a caught-up replica of an idle primary has no lag")
        #expect(caughtUp.value("postgres_replica_lag_bytes", ["replica": "replica1"]) == nil, "a replica has no replicas")

        try await replica.execute("SELECT pg_wal_replay_pause()")
        try await primary.execute("INSERT INTO r VALUES (2)")

        let behind = try await collect(onReplica) { ($0.value("postgres_replication_lag_seconds") ?? 0) > 0 }
        #expect(try #require(behind.value("postgres_replication_lag_seconds")) > 0)
        let primaryView = try await collect(onPrimary) {
            ($0.value("postgres_replica_lag_bytes", ["replica": "replica1"]) ?? 0) > 0
        }
        #expect(primaryView.value("postgres_is_replica") == 0)
        #expect(try #require(primaryView.value("postgres_replica_lag_bytes", ["replica": "replica1"])) > 0)
        #expect(try #require(primaryView.value("postgres_replica_lag_seconds", ["replica": "replica1"])) >= 0)
    }

    // MARK: - Configuration

    @Test func everyServerInTheListBecomesACollector() throws {
        let yaml = """
            collectors:
              postgres:
                - name: main
                  host: db.internal
                  port: 5433
                  user: vigil
                  password: s3cret
                  database: app
                  tls: prefer
                  interval_seconds: 30
                  timeout_seconds: 3
                - name: replica
            """
        let collectors = try AgentConfiguration.parse(yaml: yaml, source: "agent.yaml", hostname: "h").collectors
        #expect(collectors.map(\.name) == ["system", "agent", "postgres:main", "postgres:replica"])
        let main = try #require(collectors.dropFirst(2).first as? PostgresCollector)
        #expect(
            main.target
                == PostgresCollector.Target(
                    name: "main", host: "db.internal", port: 5433, user: "vigil", password: "s3cret", database: "app", tls: .prefer
                )
        )
        #expect(main.interval == .seconds(30))
        #expect(main.timeout == .seconds(3))
        let replica = try #require(collectors.last as? PostgresCollector)
        #expect(
            replica.target
                == PostgresCollector.Target(
                    name: "replica", host: "127.0.0.1", port: 5432, user: "postgres", password: nil, database: "postgres",
                    tls: .disable
                )
        )
        #expect(replica.interval == .seconds(10))
        #expect(replica.timeout == .seconds(5))
    }

    @Test(arguments: [
        ("collectors:\n  postgres:\n    name: main\n", "agent.yaml: line 3: collectors.postgres must be a list"),
        ("collectors:\n  postgres:\n    - host: db\n", "agent.yaml: collectors.postgres[0].name is required"),
        ("collectors:\n  postgres:\n    - name: a\n    - name: a\n", "agent.yaml: collectors.postgres[1].name \"a\" is used twice"),
        ("collectors:\n  postgres:\n    - name: a\n      port: 0\n", "agent.yaml: collectors.postgres[0].port must be between 1 and 65535"),
        ("collectors:\n  postgres:\n    - name: a\n      port: many\n", "agent.yaml: line 4: collectors.postgres[0].port: expected a whole number"),
        ("collectors:\n  postgres:\n    - name: a\n      tls: verify-full\n", "agent.yaml: collectors.postgres[0].tls must be one of disable, prefer, require"),
        ("collectors:\n  postgres:\n    - name: a\n      hots: db\n", "agent.yaml: line 4: unknown key \"collectors.postgres[0].hots\""),
        ("collectors:\n  postgres:\n    - name: a\n      interval_seconds: 0\n", "agent.yaml: collectors.postgres[0].interval_seconds must be above 0"),
    ])
    func badServerSettingsAreRefusedWithTheKey(_ yaml: String, _ expected: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try AgentConfiguration.parse(yaml: yaml, source: "agent.yaml", hostname: "h")
        }
        #expect(error?.description.hasPrefix(expected) == true, "got: \(String(describing: error))")
    }

    // MARK: - Failures

    @Test func wrongPasswordGivesTheServersReasonInOneLine() async throws {
        let server = try await PostgresServer.start()
        let error = await #expect(throws: CollectorError.self) {
            try await makeCollector(port: server.port, password: "wrong").collect()
        }
        #expect(
            error?.description
                == "postgres main 127.0.0.1:\(server.port): password authentication failed for user \"postgres\""
        )
    }

    @Test func tlsRequireIsRefusedByAServerWithoutTLSAndPreferFallsBack() async throws {
        let server = try await PostgresServer.start()
        let error = await #expect(throws: CollectorError.self) {
            try await makeCollector(port: server.port, tls: .require).collect()
        }
        #expect(error?.description == "postgres main 127.0.0.1:\(server.port): the server does not accept TLS (tls: require)")
        let output = try await makeCollector(port: server.port, tls: .prefer).collect()
        #expect(output.value("postgres_up") == 1)
    }

    @Test func unreachablePortIsConnectionRefused() async throws {
        let port = try PostgresServer.unusedPort()
        let error = await #expect(throws: CollectorError.self) {
            try await makeCollector(port: port).collect()
        }
        #expect(error?.description == "postgres main 127.0.0.1:\(port): connection refused")
    }

    @Test func serverThatNeverAnswersTimesOutWithinTheRunsTimeout() async throws {
        let silent = try LoopbackSocket(listening: true)
        let collector = makeCollector(port: silent.port, timeout: .milliseconds(500))
        let outcome = Mutex<Result<CollectorOutput, any Error>?>(nil)
        await CollectorRunner.run(collector) { result in outcome.withLock { $0 = result } }
        let result = try #require(outcome.withLock { $0 })
        guard case .failure = result else {
            Issue.record("a server that never answers must fail the run")
            return
        }
        // On its own (no runner racing it), the collector names the unanswered server: its connect timeout
        // is shorter than the run's. Through the runner either message may win on a loaded machine.
        let error = await #expect(throws: CollectorError.self) { try await collector.collect() }
        #expect(error?.description == "postgres main 127.0.0.1:\(silent.port): connection timed out after 0.4 seconds")
    }
}

extension CollectorOutput {
    /// The value of the series `name` with `labels` (besides `instance`), if the output has it.
    fileprivate func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        for sample in measurements where sample.series.name == name {
            guard labels.allSatisfy({ sample.series.labels[$0.key] == $0.value }) else { continue }
            if case .number(let value) = sample.value { return value }
        }
        return nil
    }
}
