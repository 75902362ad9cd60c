import Shared
import Testing

@testable import Agent

extension [MetricSample] {
    /// The value of the series `name` whose labels are exactly `labels`.
    fileprivate func value(_ name: String, _ labels: [String: String]) -> Double? {
        guard case .number(let value)? = first(where: { $0.series.name == name && $0.series.labels == labels })?.value
        else {
            return nil
        }
        return value
    }
}

@Suite(.timeLimit(.minutes(1)))
struct RedisCollectorTests {
    private let cache = ["instance": "cache"]

    private func collector(_ address: HostPort, password: String? = nil, timeout: Duration = .seconds(2))
        -> RedisCollector
    {
        RedisCollector(
            settings: .init(
                instance: "cache",
                address: address,
                password: password,
                timing: CollectorTiming(interval: .seconds(5), timeout: timeout)
            )
        )
    }

    @Test func reportsWhatTheServerDid() async throws {
        let server = try await RedisServer.start()
        try await server.run([
            ["SET", "a", "1"], ["SET", "b", "2"],
            ["GET", "a"], ["GET", "b"], ["GET", "a"],
            ["GET", "missing-1"], ["GET", "missing-2"],
        ])
        let output = try await collector(server.address).collect()
        let samples = output.measurements
        #expect(try #require(samples.value("redis_ping_latency_seconds", cache)) > 0)
        #expect(samples.value("redis_up", cache) == 1)
        #expect(samples.value("redis_keyspace_hits_total", cache) == 3)
        #expect(samples.value("redis_keyspace_misses_total", cache) == 2)
        #expect(samples.value("redis_hit_ratio", cache) == 0.6)
        #expect(samples.value("redis_db_keys", ["instance": "cache", "db": "db0"]) == 2)
        #expect(samples.value("redis_evicted_keys_total", cache) == 0)
        #expect(samples.value("redis_rejected_connections_total", cache) == 0)
        #expect(samples.value("redis_memory_max_bytes", cache) == 0)
        #expect(samples.value("redis_memory_used_ratio", cache) == nil)
        #expect(try #require(samples.value("redis_memory_used_bytes", cache)) > 100_000)
        #expect(samples.value("redis_rdb_last_save_ok", cache) == 1)
        #expect(samples.value("redis_aof_enabled", cache) == 0)
        #expect(samples.value("redis_aof_last_write_ok", cache) == 1)
        #expect(samples.value("redis_replication_is_master", cache) == 1)
        #expect(samples.value("redis_connected_replicas", cache) == 0)
        #expect(samples.first { $0.series.name == "redis_keyspace_hits_total" }?.series.kind == .counter)
    }

    @Test func seesAMemoryLimitSetAtRuntimeAndOpenClients() async throws {
        let server = try await RedisServer.start()
        try await server.run([["CONFIG", "SET", "maxmemory", "104857600"]])
        let options = RedisConnection.Options(address: server.address)
        // Three clients stay connected while the collector runs, so the server counts at least four.
        let samples = try await RedisConnection.withConnection(options) { _ in
            try await RedisConnection.withConnection(options) { _ in
                try await RedisConnection.withConnection(options) { _ in
                    try await collector(server.address).collect().measurements
                }
            }
        }
        #expect(samples.value("redis_memory_max_bytes", cache) == 104_857_600)
        let used = try #require(samples.value("redis_memory_used_bytes", cache))
        #expect(samples.value("redis_memory_used_ratio", cache) == used / 104_857_600)
        #expect(try #require(samples.value("redis_connected_clients", cache)) >= 4)
        #expect(samples.value("redis_hit_ratio", cache) == nil, "no reads yet")
    }

    @Test func reportsReplicationOnTheMasterAndTheReplica() async throws {
        let master = try await RedisServer.start()
        let replica = try await RedisServer.start(replicaOf: master.port)
        let deadline = ContinuousClock.now + .seconds(30)
        var masterSamples: [MetricSample] = []
        var replicaSamples: [MetricSample] = []
        let replicaLabels = ["instance": "cache", "replica": "127.0.0.1:\(replica.port)"]
        while ContinuousClock.now < deadline {
            masterSamples = try await collector(master.address).collect().measurements
            replicaSamples = try await collector(replica.address).collect().measurements
            if replicaSamples.value("redis_master_link_up", cache) == 1,
                masterSamples.value("redis_replication_lag_seconds", replicaLabels) != nil
            {
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(masterSamples.value("redis_replication_is_master", cache) == 1)
        #expect(masterSamples.value("redis_connected_replicas", cache) == 1)
        #expect(try #require(masterSamples.value("redis_replication_lag_seconds", replicaLabels)) >= 0)
        #expect(masterSamples.value("redis_master_link_up", cache) == nil)
        #expect(replicaSamples.value("redis_replication_is_master", cache) == 0)
        #expect(replicaSamples.value("redis_master_link_up", cache) == 1)
        #expect(try #require(replicaSamples.value("redis_replication_lag_seconds", cache)) >= 0)
        #expect(replicaSamples.value("redis_connected_replicas", cache) == 0)

        try await master.run([["SET", "replicated", "yes"], ["WAIT", "1", "5000"]])
        #expect(try await replica.run([["GET", "replicated"]]) == [.bulkString(Array("yes".utf8))])
    }

    @Test func needsTheRightPassword() async throws {
        let server = try await RedisServer.start(password: "s3cret")
        let output = try await collector(server.address, password: "s3cret").collect()
        #expect(output.measurements.value("redis_up", cache) == 1)

        let wrong = await #expect(throws: CollectorError.self) {
            try await collector(server.address, password: "nope").collect()
        }
        #expect(
            wrong?.description
                == "redis cache \(server.address): authentication failed: WRONGPASS invalid username-password pair or user is disabled."
        )
        let none = await #expect(throws: CollectorError.self) { try await collector(server.address).collect() }
        #expect(
            none?.description == "redis cache \(server.address): authentication failed: NOAUTH Authentication required."
        )
    }

    @Test func anUnreachableServerIsRefused() async throws {
        let address = HostPort(host: "127.0.0.1", port: try RedisServer.freePort())
        let error = await #expect(throws: CollectorError.self) { try await collector(address).collect() }
        #expect(error?.description == "redis cache \(address): connection refused")
    }

    @Test(arguments: [
        ("HTTP/1.1 400 Bad Request\r\n\r\n", "invalid reply to PING: unexpected reply type byte 'H' (0x48)"),
        ("+OK\r\n", "unexpected reply to PING: simple string"),
        ("+PONG\r\n:1\r\n", "unexpected reply to INFO: integer"),
        ("+PONG\r\n$11\r\nhello world\r\n", "unexpected reply to INFO: no server or memory fields"),
        // The command timeout is 0.8 of the collector's, so the stuck command is named before the runner gives up.
        ("+PONG\r\n", "no reply to INFO within 0.4 seconds"),
    ])
    func aServerThatAnswersGarbageGivesAClearError(_ answer: String, _ reason: String) async throws {
        let server = try await ScriptedTCPServer.start(.send(Array(answer.utf8)))
        let address = HostPort(host: "127.0.0.1", port: server.port)
        let error = await #expect(throws: CollectorError.self) {
            try await collector(address, timeout: .milliseconds(500)).collect()
        }
        #expect(error?.description == "redis cache \(address): \(reason)")
    }

    // MARK: - Configuration

    @Test func readsEveryKeyWithDefaults() throws {
        let yaml = """
            collectors:
              redis:
                - name: cache
                  address: 127.0.0.1:6379
                - name: sessions
                  address: redis.internal:6380
                  username: agent
                  password: "pa ss"
                  database: 2
                  interval_seconds: 10
                  timeout_seconds: 3
            """
        let collectors = try AgentConfiguration.parse(yaml: yaml, source: "agent.yaml", hostname: "h").collectors
        let redis = collectors.compactMap { $0 as? RedisCollector }
        #expect(collectors.map(\.name) == ["system", "agent", "redis:cache", "redis:sessions"])
        #expect(
            redis.map(\.settings) == [
                .init(instance: "cache", address: HostPort(host: "127.0.0.1", port: 6379)),
                .init(
                    instance: "sessions",
                    address: HostPort(host: "redis.internal", port: 6380),
                    username: "agent",
                    password: "pa ss",
                    database: 2,
                    timing: CollectorTiming(interval: .seconds(10), timeout: .seconds(3))
                ),
            ]
        )
        #expect(redis.first?.interval == .seconds(5))
        #expect(redis.first?.timeout == .seconds(2))
    }

    @Test(arguments: [
        ("- {name: c, address: 'h:1', pasword: x}", "agent.yaml: line 3: unknown key \"collectors.redis[0].pasword\""),
        ("- {address: 'h:1'}", "agent.yaml: line 3: collectors.redis[0]: missing key \"name\""),
        (
            "- {name: c, address: 'h:1', database: first}",
            "agent.yaml: line 3: collectors.redis[0].database: expected a whole number"
        ),
        ("{name: c, address: 'h:1'}", "agent.yaml: line 3: collectors.redis must be a list of instances"),
        ("- {name: c, address: 'localhost'}", "agent.yaml: line 3: collectors.redis[0].address must be HOST:PORT"),
        ("- {name: c, address: 'h:0'}", "agent.yaml: line 3: collectors.redis[0].address must be HOST:PORT"),
        ("- {name: '', address: 'h:1'}", "agent.yaml: line 3: collectors.redis[0].name must be a non-empty word"),
        (
            "- {name: c, address: 'h:1'}\n    - {name: c, address: 'h:2'}",
            "agent.yaml: line 4: collectors.redis[1].name \"c\" is used twice"
        ),
        (
            "- {name: c, address: 'h:1', database: -1}",
            "agent.yaml: line 3: collectors.redis[0].database must be 0 or more"
        ),
        (
            "- {name: c, address: 'h:1', username: u}",
            "agent.yaml: line 3: collectors.redis[0].username needs a password"
        ),
        (
            "- {name: c, address: 'h:1', timeout_seconds: 0}",
            "agent.yaml: collectors.redis[0].timeout_seconds must be above 0"
        ),
    ])
    func badEntriesAreRefusedWithTheirLine(_ section: String, _ expected: String) {
        let yaml = "collectors:\n  redis:\n    \(section)\n"
        let error = #expect(throws: ConfigurationError.self) {
            try AgentConfiguration.parse(yaml: yaml, source: "agent.yaml", hostname: "h")
        }
        #expect(error?.description.hasPrefix(expected) == true, "got: \(String(describing: error))")
    }
}
