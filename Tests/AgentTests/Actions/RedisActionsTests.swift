import Shared
import Testing

@testable import Agent

/// The Redis actions against a real `redis-server`.
@Suite(.timeLimit(.minutes(1)))
struct RedisActionsTests {
    private func instance(_ server: RedisServer, database: Int = 0) -> RedisInstance {
        RedisInstance(name: "cache", options: RedisConnection.Options(address: server.address, database: database))
    }

    private func keyCount(_ server: RedisServer, database: Int = 0, pattern: String = "*") async throws -> Int {
        let replies = try await server.run([["SELECT", String(database)], ["KEYS", pattern]])
        guard case .array(let keys?) = replies[1] else { return -1 }
        return keys.count
    }

    @Test func deletesOnlyTheAllowedPatternInBatches() async throws {
        let server = try await RedisServer.start()
        try await server.run(
            (0..<35).map { ["SET", "tts:\($0)", "x"] } + (0..<5).map { ["SET", "session:\($0)", "y"] }
        )
        let policy = RedisDeleteKeysAction.Policy(
            instances: ["cache": instance(server)],
            patterns: ["tts:*"],
            maximumKeys: 1_000,
            batchSize: 10
        )
        let action = try RedisDeleteKeysAction(
            parameters: ["instance": "cache", "pattern": "tts:*"],
            policy: policy,
            timeout: .seconds(10)
        )
        let outcome = try await action.run(dryRun: false)
        #expect(outcome.isSuccess)
        #expect(outcome.detail.hasPrefix("unlinked 35 keys matching tts:*"))
        let batches = try #require(
            outcome.detail.split(separator: " ").firstIndex(of: "batches").map {
                outcome.detail.split(separator: " ")[$0 - 1]
            }
        )
        #expect(Int(batches).map { $0 >= 4 } == true)
        #expect(try await keyCount(server, pattern: "tts:*") == 0)
        #expect(try await keyCount(server, pattern: "session:*") == 5)
    }

    @Test func stopsAtTheMaximumNumberOfKeys() async throws {
        let server = try await RedisServer.start()
        try await server.run((0..<50).map { ["SET", "tts:\($0)", "x"] })
        let policy = RedisDeleteKeysAction.Policy(
            instances: ["cache": instance(server)],
            patterns: ["tts:*"],
            maximumKeys: 20,
            batchSize: 7
        )
        let action = try RedisDeleteKeysAction(
            parameters: ["instance": "cache", "pattern": "tts:*"],
            policy: policy,
            timeout: .seconds(10)
        )
        let outcome = try await action.run(dryRun: false)
        #expect(outcome.detail.contains("unlinked 20 keys"))
        #expect(outcome.detail.contains("stopped at max_keys 20"))
        #expect(try await keyCount(server, pattern: "tts:*") == 30)
    }

    @Test(arguments: ["*", "", "**", "session:*"])
    func refusesPatternsOutsideThePolicy(pattern: String) throws {
        let policy = RedisDeleteKeysAction.Policy(
            instances: [
                "cache": RedisInstance(name: "cache", options: .init(address: HostPort(host: "127.0.0.1", port: 1)))
            ],
            patterns: ["tts:*"],
            maximumKeys: 10,
            batchSize: 10
        )
        #expect(throws: ActionRefusal("pattern \"\(pattern)\" is not allowed for redis_delete_keys on instance cache"))
        {
            try RedisDeleteKeysAction(
                parameters: ["instance": "cache", "pattern": pattern],
                policy: policy,
                timeout: .seconds(1)
            )
        }
    }

    @Test func flushesOnlyTheConfiguredDatabase() async throws {
        let server = try await RedisServer.start()
        try await server.run([["SET", "keep", "1"], ["SELECT", "2"], ["SET", "a", "1"], ["SET", "b", "2"]])
        let policy = RedisFlushDatabaseAction.Policy(instances: ["cache": instance(server, database: 2)])
        let action = try RedisFlushDatabaseAction(
            parameters: ["instance": "cache"],
            policy: policy,
            timeout: .seconds(10)
        )
        let outcome = try await action.run(dryRun: false)
        #expect(outcome.isSuccess)
        #expect(outcome.detail == "flushed redis cache \(server.address) db 2 (2 keys)")
        #expect(try await keyCount(server, database: 2) == 0)
        #expect(try await keyCount(server, database: 0) == 1)
    }

    @Test func setsMaxMemoryWithinBoundsAndRefusesOutside() async throws {
        let server = try await RedisServer.start()
        let policy = RedisSetMaxMemoryAction.Policy(
            instances: ["cache": instance(server)],
            minimumBytes: 64 << 20,
            maximumBytes: 1 << 30
        )
        let action = try RedisSetMaxMemoryAction(
            parameters: ["instance": "cache", "bytes": "\(128 << 20)"],
            policy: policy,
            timeout: .seconds(10)
        )
        let outcome = try await action.run(dryRun: false)
        #expect(outcome.isSuccess)
        let reply = try await server.run([["CONFIG", "GET", "maxmemory"]])
        #expect(reply[0] == .array([.bulkString(Array("maxmemory".utf8)), .bulkString(Array("\(128 << 20)".utf8))]))
        #expect(
            throws: ActionRefusal(
                "bytes 1024 is outside 67108864...1073741824 allowed for redis_set_maxmemory on instance cache"
            )
        ) {
            try RedisSetMaxMemoryAction(
                parameters: ["instance": "cache", "bytes": "1024"],
                policy: policy,
                timeout: .seconds(1)
            )
        }
        #expect(throws: ActionRefusal("instance \"other\" is not allowed for redis_set_maxmemory")) {
            try RedisSetMaxMemoryAction(
                parameters: ["instance": "other", "bytes": "\(128 << 20)"],
                policy: policy,
                timeout: .seconds(1)
            )
        }
    }
}
