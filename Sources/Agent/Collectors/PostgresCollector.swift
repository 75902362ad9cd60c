import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import Shared

/// Connections by state against `max_connections`, waiting locks, the longest transaction and replication
/// lag of one PostgreSQL server, read with PostgresNIO.
///
/// Each run opens its own connection and closes it afterwards: a collection every few seconds costs one
/// backend start, and a server restart, a failover or a dropped connection never leaves a stale session
/// behind for the next run to trip over.
struct PostgresCollector: Collector {
    /// Where the server is and how to log in.
    struct Target: Sendable, Equatable {
        /// How the connection uses TLS, as libpq's `sslmode` of the same names (the certificate is not verified).
        enum TLSMode: String, Sendable {
            case disable, prefer, require
        }

        var name: String
        var host: String
        var port: Int
        var user: String
        var password: String?
        var database: String
        var tls: TLSMode
    }

    let target: Target
    let name: String
    let interval: Duration
    let timeout: Duration

    /// PostgresNIO logs its wire traffic; the collector reports failures through its error instead.
    private static let logger = Logger(label: "postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    init(target: Target, timing: CollectorTiming = PostgresCollectorKind.defaultTiming) {
        self.target = target
        self.name = "postgres:\(target.name)"
        self.interval = timing.interval
        self.timeout = timing.timeout
    }

    /// How errors name this server: `postgres main 127.0.0.1:5432`.
    var targetDescription: String {
        let host = target.host.contains(":") ? "[\(target.host)]" : target.host
        return "postgres \(target.name) \(host):\(target.port)"
    }

    func collect() async throws -> CollectorOutput {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: try makeConfiguration(),
                id: 1,
                logger: Self.logger
            )
        } catch {
            throw failure(error)
        }
        do {
            // PostgresNIO's queries do not react to cancellation; closing the connection is what ends a query
            // stuck on a frozen server when the runner gives up at the timeout.
            let measurements = try await withTaskCancellationHandler {
                try await measure(on: connection)
            } onCancel: {
                let closing: EventLoopFuture<Void> = connection.close()
                _ = closing
            }
            await close(connection)
            return CollectorOutput(measurements: measurements)
        } catch {
            await close(connection)
            throw failure(error)
        }
    }

    private func makeConfiguration() throws -> PostgresConnection.Configuration {
        // Shorter than the run's timeout, so an unreachable host reads as such rather than as a slow collector.
        try target.makeConfiguration(connectTimeout: timeout * 0.8)
    }

    /// A close that fails leaves nothing to undo: the channel is gone either way and the results are read.
    private func close(_ connection: PostgresConnection) async {
        do { try await connection.close() } catch { return }
    }

    // MARK: - Measuring

    private func measure(on connection: PostgresConnection) async throws -> [MetricSample] {
        let instance = ["instance": target.name]
        var isReplica = false
        var maxConnections: Int64 = 0
        for try await (recovery, limit) in try await run(PostgresQueries.server, on: connection)
            .decode((Bool, Int64).self)
        {
            isReplica = recovery
            maxConnections = limit
        }

        var byState: [String: Int64] = [:]
        var longestTransaction = 0.0
        var longestIdleInTransaction = 0.0
        let activity = try await run(PostgresQueries.activity, on: connection)
            .decode((String, Int64, Double, Double).self)
        for try await (state, count, transactionAge, stateAge) in activity {
            byState[PostgresQueries.stateLabel(for: state), default: 0] += count
            longestTransaction = max(longestTransaction, transactionAge)
            if PostgresQueries.isIdleInTransaction(state) {
                longestIdleInTransaction = max(longestIdleInTransaction, stateAge)
            }
        }
        let total = byState.values.reduce(0, +)

        var waitingLocks: Int64 = 0
        for try await count in try await run(PostgresQueries.waitingLocks, on: connection).decode(Int64.self) {
            waitingLocks = count
        }

        var samples: [MetricSample] = [.gauge("postgres_up", 1, labels: instance)]
        for label in PostgresQueries.stateLabels.map(\.value) + [PostgresQueries.otherState] {
            let labels = instance.merging(["state": label]) { $1 }
            samples.append(.gauge("postgres_connections", Double(byState[label] ?? 0), labels: labels))
        }
        let usedRatio = maxConnections > 0 ? Double(total) / Double(maxConnections) : 0
        samples += [
            .gauge("postgres_connections_total", Double(total), labels: instance),
            .gauge("postgres_max_connections", Double(maxConnections), labels: instance),
            .gauge("postgres_connections_used_ratio", usedRatio, labels: instance),
            .gauge("postgres_waiting_locks", Double(waitingLocks), labels: instance),
            .gauge("postgres_longest_transaction_seconds", longestTransaction, labels: instance),
            .gauge("postgres_longest_idle_in_transaction_seconds", longestIdleInTransaction, labels: instance),
            .gauge("postgres_is_replica", isReplica ? 1 : 0, labels: instance),
        ]
        samples += try await replication(isReplica: isReplica, on: connection, labels: instance)
        return samples
    }

    private func replication(
        isReplica: Bool,
        on connection: PostgresConnection,
        labels: [String: String]
    ) async throws -> [MetricSample] {
        var samples: [MetricSample] = []
        if isReplica {
            for try await lag in try await run(PostgresQueries.replicaLag, on: connection).decode(Double?.self) {
                // Absent until the replica has replayed a transaction: no age to report yet.
                if let lag { samples.append(.gauge("postgres_replication_lag_seconds", lag, labels: labels)) }
            }
        } else {
            for try await (replica, seconds, bytes) in try await run(PostgresQueries.replicas, on: connection)
                .decode((String, Double, Double).self)
            {
                let replicaLabels = labels.merging(["replica": replica]) { $1 }
                samples.append(.gauge("postgres_replica_lag_seconds", seconds, labels: replicaLabels))
                samples.append(.gauge("postgres_replica_lag_bytes", max(bytes, 0), labels: replicaLabels))
            }
        }
        return samples
    }

    private func run(_ sql: String, on connection: PostgresConnection) async throws -> PostgresRowSequence {
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Self.logger)
    }
}

// MARK: - Errors

extension PostgresCollector {
    /// One line for a failed run: the server's own message when it refused (PSQLError's description is
    /// deliberately generic), the socket's reason when it could not be reached.
    private func failure(_ error: any Error) -> any Error {
        if error is CancellationError { return error }
        return CollectorError.unavailable(target: targetDescription, reason: reason(for: error))
    }

    func reason(for error: any Error) -> String {
        guard let error = error as? PSQLError else {
            if error is PostgresDecodingError { return "unexpected value in a statistics query" }
            return Self.oneLine(String(describing: error))
        }
        switch error.code {
        case .server:
            return error.serverInfo?[.message] ?? "the server refused the request"
        case .connectionError:
            guard let underlying = error.underlying else { return "cannot connect" }
            return Self.socketReason(in: underlying, timeout: timeout) ?? Self.oneLine(String(describing: underlying))
        case .sslUnsupported:
            return "the server does not accept TLS (tls: require)"
        case .serverClosedConnection, .uncleanShutdown:
            return "the server closed the connection"
        case .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
            return "cannot log in as \"\(target.user)\": \(error.code)"
        default:
            return "\(error.code)"
        }
    }

    /// Finds the socket error inside NIO's connection error, which nests one failure per address tried in
    /// a type of NIOPosix; reflection reaches it without tying this folder to NIOPosix.
    private static func socketReason(in value: Any, timeout: Duration, depth: Int = 0) -> String? {
        if let error = value as? IOError {
            return String(cString: strerror(error.errnoCode)).lowercased()
        }
        if let error = value as? ChannelError, case .connectTimeout = error {
            return "connection timed out after \(timeout * 0.8)"
        }
        guard depth < 6 else { return nil }
        for child in Mirror(reflecting: value).children {
            if let reason = socketReason(in: child.value, timeout: timeout, depth: depth + 1) { return reason }
        }
        return nil
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
