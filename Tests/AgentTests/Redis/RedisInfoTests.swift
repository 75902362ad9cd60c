import Shared
import Testing

@testable import Agent

@Suite struct RedisInfoTests {
    /// Abridged from a Redis 7 master with one replica, keys in two databases, CRLF line ends as on the wire.
    private static let master = [
        "# Server", "redis_version:7.0.15", "redis_mode:standalone", "",
        "# Memory", "used_memory:1048576", "used_memory_human:1.00M", "maxmemory:4194304",
        "maxmemory_policy:noeviction", "",
        "# Persistence", "rdb_last_bgsave_status:err", "aof_enabled:1", "aof_last_write_status:ok", "",
        "# Stats", "keyspace_hits:30", "keyspace_misses:10", "evicted_keys:4", "rejected_connections:2", "",
        "# Clients", "connected_clients:7", "",
        "# Replication", "role:master", "connected_slaves:2",
        "slave0:ip=10.0.0.2,port=6380,state=online,offset=1234,lag=1",
        "slave1:ip=::1,port=6381,state=wait_bgsave,offset=0,lag=12",
        "master_repl_offset:1234", "",
        "# Keyspace", "db0:keys=12,expires=3,avg_ttl=1000,subexpiry=0", "db3:keys=1,expires=0,avg_ttl=0", "",
    ].joined(separator: "\r\n")

    private static let replica = [
        "# Replication", "role:slave", "master_host:127.0.0.1", "master_port:6379", "master_link_status:down",
        "master_last_io_seconds_ago:-1", "connected_slaves:0", "",
    ].joined(separator: "\r\n")

    @Test func readsSectionsFieldsKeyspaceAndReplicas() throws {
        let info = RedisInfo(parsing: Self.master)
        #expect(info["redis_version"] == "7.0.15")
        #expect(info.sections["memory"]?["maxmemory_policy"] == "noeviction")
        #expect(info.sections["server"]?["used_memory"] == nil, "fields stay in their own section")
        #expect(info.number("used_memory") == 1_048_576)
        #expect(info.number("used_memory_human") == nil)
        #expect(info.keyspace == [.init(database: 0, keys: 12, expires: 3), .init(database: 3, keys: 1, expires: 0)])
        #expect(
            info.replicas == [
                .init(address: HostPort(host: "10.0.0.2", port: 6380), state: "online", lagSeconds: 1),
                .init(address: HostPort(host: "::1", port: 6381), state: "wait_bgsave", lagSeconds: 12),
            ]
        )
    }

    @Test func skipsLinesThatAreNotKeyValue() {
        let info = RedisInfo(parsing: "garbage\n:novalue\nkey:a:b\n# Odd\nempty:\n")
        #expect(info.fields == ["key": "a:b", "empty": ""])
        #expect(info.sections["odd"] == ["empty": ""])
    }

    @Test func mapsAMasterToMeasurements() throws {
        let samples = RedisCollector.measurements(
            info: RedisInfo(parsing: Self.master),
            pingLatency: .milliseconds(3),
            instance: "cache"
        )
        let byName = Dictionary(grouping: samples, by: \.series.name)
        func value(_ name: String, _ extra: [String: String] = [:]) -> Double? {
            let labels = ["instance": "cache"].merging(extra) { $1 }
            guard case .number(let value)? = byName[name]?.first(where: { $0.series.labels == labels })?.value else {
                return nil
            }
            return value
        }
        #expect(value("redis_up") == 1)
        #expect(value("redis_ping_latency_seconds") == 0.003)
        #expect(value("redis_memory_used_bytes") == 1_048_576)
        #expect(value("redis_memory_max_bytes") == 4_194_304)
        #expect(value("redis_memory_used_ratio") == 0.25)
        #expect(value("redis_keyspace_hits_total") == 30)
        #expect(value("redis_keyspace_misses_total") == 10)
        #expect(value("redis_hit_ratio") == 0.75)
        #expect(value("redis_evicted_keys_total") == 4)
        #expect(value("redis_connected_clients") == 7)
        #expect(value("redis_rejected_connections_total") == 2)
        #expect(value("redis_rdb_last_save_ok") == 0)
        #expect(value("redis_aof_enabled") == 1)
        #expect(value("redis_aof_last_write_ok") == 1)
        #expect(value("redis_replication_is_master") == 1)
        #expect(value("redis_connected_replicas") == 2)
        #expect(value("redis_replication_lag_seconds", ["replica": "10.0.0.2:6380"]) == 1)
        #expect(value("redis_replication_lag_seconds", ["replica": "[::1]:6381"]) == 12)
        #expect(value("redis_db_keys", ["db": "db0"]) == 12)
        #expect(value("redis_db_keys", ["db": "db3"]) == 1)
        #expect(byName["redis_master_link_up"] == nil, "a master has no link to a master")
        #expect(byName["redis_keyspace_hits_total"]?.first?.series.kind == .counter)
        #expect(byName["redis_memory_used_bytes"]?.first?.series.kind == .gauge)
    }

    @Test func aReplicaWithItsLinkDownReportsTheLinkButNoLag() {
        let samples = RedisCollector.measurements(
            info: RedisInfo(parsing: Self.replica),
            pingLatency: .zero,
            instance: "r"
        )
        let names = Set(samples.map(\.series.name))
        #expect(samples.contains(.gauge("redis_replication_is_master", 0, labels: ["instance": "r"])))
        #expect(samples.contains(.gauge("redis_master_link_up", 0, labels: ["instance": "r"])))
        #expect(!names.contains("redis_replication_lag_seconds"), "-1 means unknown, not a lag")
        #expect(!names.contains("redis_hit_ratio"), "no hits and no misses give no ratio")
        #expect(!names.contains("redis_memory_used_ratio"))
    }

    @Test func noMemoryLimitGivesNoRatio() {
        let samples = RedisCollector.measurements(
            info: RedisInfo(parsing: "used_memory:100\r\nmaxmemory:0\r\nkeyspace_hits:0\r\nkeyspace_misses:0\r\n"),
            pingLatency: .zero,
            instance: "c"
        )
        #expect(samples.contains(.gauge("redis_memory_max_bytes", 0, labels: ["instance": "c"])))
        #expect(
            !samples.contains { $0.series.name == "redis_memory_used_ratio" || $0.series.name == "redis_hit_ratio" }
        )
    }
}
