import Shared

/// `redis_set_maxmemory`: CONFIG SET maxmemory to a number of bytes within the policy's bounds.
struct RedisSetMaxMemoryAction: AgentAction {
    /// `actions.redis_set_maxmemory`.
    struct Policy: Sendable, Equatable {
        var instances: [String: RedisInstance]
        var minimumBytes: Int64
        var maximumBytes: Int64
    }

    let instance: RedisInstance
    let bytes: Int64
    let timeout: Duration

    init(parameters: [String: String], policy: Policy, timeout: Duration) throws(ActionRefusal) {
        let parameters = try ActionParameters(
            parameters,
            for: .redisSetMaxMemory,
            accepting: [ActionParameter.instance, ActionParameter.bytes]
        )
        let name = try parameters.required(ActionParameter.instance)
        let instance = try RedisInstance.named(name, in: policy.instances, for: "redis_set_maxmemory")
        let text = try parameters.required(ActionParameter.bytes)
        guard let bytes = Int64(text) else {
            throw ActionRefusal("bytes \"\(text)\" is not a whole number of bytes")
        }
        guard (policy.minimumBytes...policy.maximumBytes).contains(bytes) else {
            throw ActionRefusal(
                "bytes \(bytes) is outside \(policy.minimumBytes)...\(policy.maximumBytes) allowed for redis_set_maxmemory on instance \(name)"
            )
        }
        self.instance = instance
        self.bytes = bytes
        self.timeout = timeout
    }

    var intent: String { "CONFIG SET maxmemory \(bytes) on \(instance.targetDescription)" }

    func perform() async throws -> ActionOutcome {
        let previous = try await instance.withConnection(timeout: timeout) { connection in
            let before = try await connection.command(["CONFIG", "GET", "maxmemory"])
            _ = try await connection.command(["CONFIG", "SET", "maxmemory", String(bytes)])
            guard case .array(let pair?) = before, pair.count == 2 else { return "unknown" }
            return pair[1].text ?? "unknown"
        }
        return ActionOutcome(
            isSuccess: true,
            detail: "maxmemory of redis \(instance.name) set to \(bytes) (was \(previous))"
        )
    }
}
