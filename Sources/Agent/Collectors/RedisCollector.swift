import Shared

/// One Redis instance: `PING` latency and what `INFO` says about memory, hits, clients, persistence and
/// replication, each series labelled with the instance's name.
///
/// Every run opens a fresh connection: a collector that reuses nothing proves each time that a client can
/// still connect and authenticate, which is what the playbook's "Redis down" check is about.
struct RedisCollector: Collector {
    /// One `collectors.redis` entry, validated.
    struct Settings: Sendable, Equatable {
        var instance: String
        var address: HostPort
        var username: String?
        var password: String?
        var database: Int = 0
        var timing: CollectorTiming = RedisCollectorKind.defaultTiming
    }

    let settings: Settings
    var name: String { "redis:\(settings.instance)" }
    var interval: Duration { settings.timing.interval }
    var timeout: Duration { settings.timing.timeout }

    init(settings: Settings) {
        self.settings = settings
    }

    func collect() async throws -> CollectorOutput {
        let options = RedisConnection.Options(
            address: settings.address,
            username: settings.username,
            password: settings.password,
            database: settings.database,
            // Below the collector's own timeout, so a stuck connect or command is named as such.
            connectTimeout: timeout * 0.8,
            commandTimeout: timeout * 0.8
        )
        do {
            let (latency, info) = try await RedisConnection.withConnection(options) { connection in
                let start = ContinuousClock.now
                let pong = try await connection.command(["PING"])
                let latency = ContinuousClock.now - start
                guard pong.text == "PONG" else {
                    throw RedisConnection.Failure.unexpectedReply(command: "PING", detail: pong.kindDescription)
                }
                let reply = try await connection.command(["INFO"])
                guard let text = reply.text else {
                    throw RedisConnection.Failure.unexpectedReply(command: "INFO", detail: reply.kindDescription)
                }
                return (latency, RedisInfo(parsing: text))
            }
            guard info["redis_version"] != nil || info["used_memory"] != nil else {
                throw RedisConnection.Failure.unexpectedReply(command: "INFO", detail: "no server or memory fields")
            }
            return CollectorOutput(
                measurements: Self.measurements(info: info, pingLatency: latency, instance: settings.instance)
            )
        } catch let failure as RedisConnection.Failure {
            throw CollectorError.unavailable(
                target: "redis \(settings.instance) \(settings.address)",
                reason: failure.description
            )
        }
    }

    /// What one PING and INFO mean as measurements; fields the server does not report are left out.
    static func measurements(info: RedisInfo, pingLatency: Duration, instance: String) -> [MetricSample] {
        let labels = ["instance": instance]
        var samples: [MetricSample] = [
            .gauge("redis_up", 1, labels: labels),
            .gauge("redis_ping_latency_seconds", pingLatency.seconds, labels: labels),
        ]
        func gauge(_ name: String, _ field: String) {
            if let value = info.number(field) { samples.append(.gauge(name, value, labels: labels)) }
        }
        func counter(_ name: String, _ field: String) {
            if let value = info.number(field) { samples.append(.counter(name, value, labels: labels)) }
        }
        func status(_ name: String, _ field: String, healthy: String) {
            if let value = info[field] { samples.append(.gauge(name, value == healthy ? 1 : 0, labels: labels)) }
        }

        gauge("redis_memory_used_bytes", "used_memory")
        gauge("redis_memory_max_bytes", "maxmemory")
        if let used = info.number("used_memory"), let maximum = info.number("maxmemory"), maximum > 0 {
            samples.append(.gauge("redis_memory_used_ratio", used / maximum, labels: labels))
        }
        counter("redis_keyspace_hits_total", "keyspace_hits")
        counter("redis_keyspace_misses_total", "keyspace_misses")
        if let hits = info.number("keyspace_hits"), let misses = info.number("keyspace_misses"), hits + misses > 0 {
            samples.append(.gauge("redis_hit_ratio", hits / (hits + misses), labels: labels))
        }
        counter("redis_evicted_keys_total", "evicted_keys")
        gauge("redis_connected_clients", "connected_clients")
        counter("redis_rejected_connections_total", "rejected_connections")
        status("redis_rdb_last_save_ok", "rdb_last_bgsave_status", healthy: "ok")
        gauge("redis_aof_enabled", "aof_enabled")
        status("redis_aof_last_write_ok", "aof_last_write_status", healthy: "ok")
        for database in info.keyspace {
            samples.append(
                .gauge(
                    "redis_db_keys",
                    Double(database.keys),
                    labels: labels.merging(["db": "db\(database.database)"]) { $1 }
                )
            )
        }
        samples += replication(info: info, labels: labels)
        return samples
    }

    private static func replication(info: RedisInfo, labels: [String: String]) -> [MetricSample] {
        guard let role = info["role"] else { return [] }
        var samples: [MetricSample] = [.gauge("redis_replication_is_master", role == "master" ? 1 : 0, labels: labels)]
        if let replicas = info.number("connected_slaves") {
            samples.append(.gauge("redis_connected_replicas", replicas, labels: labels))
        }
        if role == "master" {
            for replica in info.replicas {
                guard let lag = replica.lagSeconds else { continue }
                let replicaLabels = labels.merging(["replica": "\(replica.address)"]) { $1 }
                samples.append(.gauge("redis_replication_lag_seconds", lag, labels: replicaLabels))
            }
        } else {
            if let link = info["master_link_status"] {
                samples.append(.gauge("redis_master_link_up", link == "up" ? 1 : 0, labels: labels))
            }
            // Redis reports -1 while the link is down: no lag can be measured then, and the link gauge says why.
            if let lag = info.number("master_last_io_seconds_ago"), lag >= 0 {
                samples.append(.gauge("redis_replication_lag_seconds", lag, labels: labels))
            }
        }
        return samples
    }
}

extension Duration {
    fileprivate var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
