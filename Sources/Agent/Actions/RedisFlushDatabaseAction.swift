import Shared

/// `redis_flush_db`: FLUSHDB of the one database the policy configures for the instance, SELECTed first,
/// so that a flush never reaches the other databases of a shared server.
struct RedisFlushDatabaseAction: AgentAction {
    /// `actions.redis_flush_db`: the instances, each with the database to flush.
    struct Policy: Sendable, Equatable {
        var instances: [String: RedisInstance]
    }

    let instance: RedisInstance
    let timeout: Duration

    init(parameters: [String: String], policy: Policy, timeout: Duration) throws(ActionRefusal) {
        let parameters = try ActionParameters(
            parameters,
            for: .redisFlushDatabase,
            accepting: [ActionParameter.instance]
        )
        let name = try parameters.required(ActionParameter.instance)
        self.instance = try RedisInstance.named(name, in: policy.instances, for: "redis_flush_db")
        self.timeout = timeout
    }

    var intent: String { "FLUSHDB on \(instance.targetDescription)" }

    func perform() async throws -> ActionOutcome {
        let database = String(instance.options.database)
        let removed = try await instance.withConnection(timeout: timeout) { connection in
            // The connection SELECTs a non-zero database when it opens; selecting again here makes the target
            // explicit whatever the connection's own defaults become.
            _ = try await connection.command(["SELECT", database])
            let size = try await connection.command(["DBSIZE"])
            _ = try await connection.command(["FLUSHDB"])
            if case .integer(let count) = size { return Int(count) }
            return 0
        }
        return ActionOutcome(isSuccess: true, detail: "flushed \(instance.targetDescription) (\(removed) keys)")
    }
}
