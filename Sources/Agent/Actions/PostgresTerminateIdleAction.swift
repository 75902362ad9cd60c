import Logging
import NIOCore
import PostgresNIO
import Shared

/// `postgres_terminate_idle`: `pg_terminate_backend` for client sessions idle longer than a number of
/// minutes — the remedy for a pool leak that holds every connection slot.
///
/// Only sessions that are certainly safe to end are touched: state `idle` (never active, never inside a
/// transaction), backend type `client backend` (never walsenders or background workers), a role that is not
/// a superuser (an administrator's session is left alone) and never the action's own session.
struct PostgresTerminateIdleAction: AgentAction {
    /// `actions.postgres_terminate_idle`.
    struct Policy: Sendable, Equatable {
        var instances: [String: PostgresCollector.Target]
        /// The smallest `idle_minutes` a command may ask for.
        var minimumIdleMinutes: Int
    }

    static let query = """
        SELECT a.pid, pg_terminate_backend(a.pid)
        FROM pg_stat_activity a JOIN pg_roles r ON r.oid = a.usesysid
        WHERE a.backend_type = 'client backend' AND a.state = 'idle' AND a.pid <> pg_backend_pid()
          AND NOT r.rolsuper AND a.state_change < now() - $1 * interval '1 minute'
        """

    /// PostgresNIO logs its wire traffic; the action reports through its outcome instead.
    private static let logger = Logger(label: "postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    let target: PostgresCollector.Target
    let idleMinutes: Int
    let timeout: Duration

    init(parameters: [String: String], policy: Policy, timeout: Duration) throws(ActionRefusal) {
        let parameters = try ActionParameters(
            parameters,
            for: .postgresTerminateIdle,
            accepting: [ActionParameter.instance, ActionParameter.idleMinutes]
        )
        let name = try parameters.required(ActionParameter.instance)
        guard let target = policy.instances[name] else {
            throw ActionRefusal("instance \"\(name)\" is not allowed for postgres_terminate_idle")
        }
        let text = try parameters.required(ActionParameter.idleMinutes)
        guard let minutes = Int(text), minutes >= 0 else {
            throw ActionRefusal("idle_minutes \"\(text)\" is not a whole number of minutes")
        }
        guard minutes >= policy.minimumIdleMinutes else {
            throw ActionRefusal(
                "idle_minutes \(minutes) is below the minimum \(policy.minimumIdleMinutes) allowed for postgres_terminate_idle on instance \(name)"
            )
        }
        self.target = target
        self.idleMinutes = minutes
        self.timeout = timeout
    }

    var intent: String {
        "terminate client sessions idle for more than \(idleMinutes) minutes on postgres \(target.name) (not superusers, not active)"
    }

    func perform() async throws -> ActionOutcome {
        let collector = PostgresCollector(target: target)
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: try target.makeConfiguration(connectTimeout: min(timeout, .seconds(10))),
                id: 1,
                logger: Self.logger
            )
        } catch {
            throw ActionError.unavailable(target: collector.targetDescription, reason: collector.reason(for: error))
        }
        do {
            // PostgresNIO's queries ignore cancellation; closing the connection ends one at the time limit.
            let terminated = try await withTaskCancellationHandler {
                try await terminate(on: connection)
            } onCancel: {
                let closing: EventLoopFuture<Void> = connection.close()
                _ = closing
            }
            await close(connection)
            let pids = terminated.sorted().map(String.init).joined(separator: ", ")
            return ActionOutcome(
                isSuccess: true,
                outputTail: pids.isEmpty ? "" : "terminated pids: \(pids)",
                detail:
                    "terminated \(terminated.count) sessions idle for more than \(idleMinutes) minutes on postgres \(target.name)"
            )
        } catch {
            await close(connection)
            throw ActionError.unavailable(target: collector.targetDescription, reason: collector.reason(for: error))
        }
    }

    private func terminate(on connection: PostgresConnection) async throws -> [Int32] {
        var bindings = PostgresBindings()
        bindings.append(Double(idleMinutes))
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: Self.query, binds: bindings),
            logger: Self.logger
        )
        var terminated: [Int32] = []
        for try await (pid, wasTerminated) in rows.decode((Int32, Bool).self) where wasTerminated {
            terminated.append(pid)
        }
        return terminated
    }

    /// A close that fails leaves nothing to undo: the sessions are already ended.
    private func close(_ connection: PostgresConnection) async {
        do { try await connection.close() } catch { return }
    }
}
