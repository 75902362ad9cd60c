import Logging
import PostgresNIO
import Testing

@testable import Agent

/// `postgres_terminate_idle` against a real PostgreSQL with sessions the test opens.
@Suite(.timeLimit(.minutes(2)))
struct PostgresTerminateIdleActionTests {
    private static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func terminatesIdleClientSessionsOnly() async throws {
        let server = try await PostgresServer.start()
        try await server.execute("CREATE ROLE app LOGIN PASSWORD 'app-secret'")
        // Two idle sessions of an ordinary role: these go.
        var idle: [PostgresConnection] = []
        for _ in 0..<2 { idle.append(try await connect(to: server, user: "app", password: "app-secret")) }
        // A superuser's idle session and a busy session of the ordinary role: these stay.
        let administrator = try await server.connect(applicationName: "admin")
        let busy = try await connect(to: server, user: "app", password: "app-secret")
        try await withThrowingTaskGroup(of: Void.self) { group in
            // The busy session's query ends with an error when the test closes it at the end.
            group.addTask { _ = try? await busy.query("SELECT pg_sleep(60)", logger: Self.logger) }
            // Wait until it is seen active, so it is not caught idle before its statement starts.
            try await waitForActiveSleep(using: administrator)

            let target = PostgresCollector.Target(
                name: "main",
                host: "127.0.0.1",
                port: server.port,
                user: PostgresServer.user,
                password: PostgresServer.password,
                database: "postgres",
                tls: .disable
            )
            let policy = PostgresTerminateIdleAction.Policy(instances: ["main": target], minimumIdleMinutes: 0)
            let action = try PostgresTerminateIdleAction(
                parameters: ["instance": "main", "idle_minutes": "0"],
                policy: policy,
                timeout: .seconds(20)
            )
            let outcome = try await action.run(dryRun: false)
            #expect(outcome.isSuccess)
            #expect(outcome.detail == "terminated 2 sessions idle for more than 0 minutes on postgres main")

            // pg_terminate_backend signals the backend and returns; the backend leaves pg_stat_activity as it
            // exits, a moment later.
            var remaining: [String: Int] = [:]
            for _ in 0..<200 {
                remaining = [:]
                let rows = try await administrator.query(
                    // The app role's sessions only: superuser sessions (the action's own, the server helper's)
                    // may still be closing, and are never the action's to end anyway.
                    "SELECT usename, state FROM pg_stat_activity WHERE backend_type = 'client backend' AND usename = 'app'",
                    logger: Self.logger
                )
                for try await (user, state) in rows.decode((String, String).self) {
                    remaining["\(user):\(state)", default: 0] += 1
                }
                if remaining["app:idle"] == nil { break }
                try await Task.sleep(for: .milliseconds(25))
            }
            #expect(remaining == ["app:active": 1])
            // The superuser's own session survived too.
            try await administrator.query("SELECT 1", logger: Self.logger)
            for connection in idle { try? await connection.close() }
            try? await busy.close()
        }
        try? await administrator.close()
    }

    @Test func refusesIdleMinutesBelowThePolicyMinimum() throws {
        let target = PostgresCollector.Target(
            name: "main",
            host: "127.0.0.1",
            port: 5432,
            user: "postgres",
            password: nil,
            database: "postgres",
            tls: .disable
        )
        let policy = PostgresTerminateIdleAction.Policy(instances: ["main": target], minimumIdleMinutes: 10)
        #expect(
            throws: ActionRefusal(
                "idle_minutes 5 is below the minimum 10 allowed for postgres_terminate_idle on instance main"
            )
        ) {
            try PostgresTerminateIdleAction(
                parameters: ["instance": "main", "idle_minutes": "5"],
                policy: policy,
                timeout: .seconds(1)
            )
        }
    }

    private func connect(to server: PostgresServer, user: String, password: String) async throws -> PostgresConnection {
        let configuration = PostgresConnection.Configuration(
            host: "127.0.0.1",
            port: server.port,
            username: user,
            password: password,
            database: "postgres",
            tls: .disable
        )
        return try await PostgresConnection.connect(configuration: configuration, id: 2, logger: Self.logger)
    }

    private func waitForActiveSleep(using connection: PostgresConnection) async throws {
        while true {
            let rows = try await connection.query(
                "SELECT count(*)::int8 FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'SELECT pg_sleep%'",
                logger: Self.logger
            )
            for try await count in rows.decode(Int64.self) where count > 0 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
