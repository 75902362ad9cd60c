/// A Redis server a Redis action may act on, by the name commands use for it.
struct RedisInstance: Sendable, Equatable {
    var name: String
    /// Address, credentials and the database the action works in (SELECTed after connecting).
    var options: RedisConnection.Options

    /// How messages name it: `redis cache 127.0.0.1:6379 db 2`.
    var targetDescription: String { "redis \(name) \(options.address) db \(options.database)" }
}

extension RedisInstance {
    /// The instance named by a command's `instance` parameter, when `instances` allows it for `action`.
    static func named(
        _ name: String,
        in instances: [String: RedisInstance],
        for action: String
    ) throws(ActionRefusal) -> RedisInstance {
        guard let instance = instances[name] else {
            throw ActionRefusal("instance \"\(name)\" is not allowed for \(action)")
        }
        return instance
    }

    /// Runs `body` on a connection to this instance, its failures reported as the action's.
    func withConnection<Result: Sendable>(
        timeout: Duration,
        _ body: (inout RedisConnection) async throws -> Result
    ) async throws -> Result {
        var options = options
        // One command may take the whole action's time: FLUSHDB of a large database is a single slow reply.
        options.commandTimeout = timeout
        do {
            return try await RedisConnection.withConnection(options) { connection in try await body(&connection) }
        } catch let failure as RedisConnection.Failure {
            throw ActionError.unavailable(target: targetDescription, reason: failure.description)
        }
    }
}
