import Shared

/// `redis_delete_keys`: deletes the keys matching a pattern the policy allows, walking the keyspace with
/// SCAN … MATCH … COUNT and removing each batch with UNLINK — never KEYS, which would stall the server on a
/// large keyspace — and stopping at the policy's maximum number of keys.
struct RedisDeleteKeysAction: AgentAction {
    /// `actions.redis_delete_keys`.
    struct Policy: Sendable, Equatable {
        var instances: [String: RedisInstance]
        /// Exact pattern strings commands may use, such as `tts:*`; never `*` or an empty one.
        var patterns: [String]
        var maximumKeys: Int
        /// SCAN's COUNT hint, and the most keys one UNLINK removes.
        var batchSize: Int
    }

    let instance: RedisInstance
    let pattern: String
    let maximumKeys: Int
    let batchSize: Int
    let timeout: Duration

    init(parameters: [String: String], policy: Policy, timeout: Duration) throws(ActionRefusal) {
        let parameters = try ActionParameters(
            parameters,
            for: .redisDeleteKeys,
            accepting: [ActionParameter.instance, ActionParameter.pattern]
        )
        let instanceName = try parameters.required(ActionParameter.instance)
        let instance = try RedisInstance.named(instanceName, in: policy.instances, for: "redis_delete_keys")
        let pattern = parameters.optional(ActionParameter.pattern) ?? ""
        // A pattern matching every key is a flush by another name; the policy cannot allow it.
        guard !Self.matchesEverything(pattern), policy.patterns.contains(pattern) else {
            throw ActionRefusal(
                "pattern \"\(pattern)\" is not allowed for redis_delete_keys on instance \(instanceName)"
            )
        }
        self.instance = instance
        self.pattern = pattern
        self.maximumKeys = policy.maximumKeys
        self.batchSize = policy.batchSize
        self.timeout = timeout
    }

    /// True for the empty pattern and for patterns made only of `*`.
    static func matchesEverything(_ pattern: String) -> Bool {
        pattern.allSatisfy { $0 == "*" }
    }

    var intent: String {
        "unlink up to \(maximumKeys) keys matching \(pattern) on \(instance.targetDescription), \(batchSize) at a time"
    }

    func perform() async throws -> ActionOutcome {
        let (deleted, batches, isComplete) = try await instance.withConnection(timeout: timeout) { connection in
            try await deleteKeys(on: &connection)
        }
        var detail =
            "unlinked \(deleted) keys matching \(pattern) on \(instance.targetDescription) in \(batches) batches"
        if !isComplete { detail += "; stopped at max_keys \(maximumKeys)" }
        return ActionOutcome(isSuccess: true, detail: detail)
    }

    private func deleteKeys(on connection: inout RedisConnection) async throws -> (Int, Int, Bool) {
        var cursor = "0"
        var deleted = 0
        var batches = 0
        repeat {
            let reply = try await connection.command(["SCAN", cursor, "MATCH", pattern, "COUNT", String(batchSize)])
            guard case .array(let parts?) = reply, parts.count == 2, let next = parts[0].text,
                case .array(let found?) = parts[1]
            else {
                throw ActionError.unavailable(
                    target: instance.targetDescription,
                    reason: "unexpected reply to SCAN: \(reply.kindDescription)"
                )
            }
            cursor = next
            // SCAN may return a key twice across calls; UNLINK of a key already gone simply counts 0.
            let keys = found.compactMap(\.text).prefix(maximumKeys - deleted)
            for start in stride(from: keys.startIndex, to: keys.endIndex, by: batchSize) {
                let batch = Array(keys[start..<min(start + batchSize, keys.endIndex)])
                let unlinked = try await connection.command(["UNLINK"] + batch)
                guard case .integer(let count) = unlinked else {
                    throw ActionError.unavailable(
                        target: instance.targetDescription,
                        reason: "unexpected reply to UNLINK: \(unlinked.kindDescription)"
                    )
                }
                deleted += Int(count)
                batches += 1
            }
            if deleted >= maximumKeys { return (deleted, batches, cursor == "0") }
            try Task.checkCancellation()
        } while cursor != "0"
        return (deleted, batches, true)
    }
}
