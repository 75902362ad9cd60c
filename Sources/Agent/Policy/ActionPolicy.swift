import Shared

/// The agent's own answer to "what may the coordinator ask of this host": which actions are enabled, on
/// which services, processes, instances, endpoints and scripts, within which bounds, how long each may run
/// and how often.
///
/// Nothing is enabled unless the `actions:` section of the agent's YAML says so.
struct ActionPolicy: Sendable {
    /// How long one action may run and how often it may run.
    struct Limits: Sendable, Equatable {
        static let defaultTimeout: Duration = .seconds(60)
        static let maximumTimeout: Duration = .seconds(3_600)
        static let defaultRunsPerHour = 6

        var timeout: Duration = defaultTimeout
        var runsPerHour: Int = defaultRunsPerHour
    }

    var restartService: RestartServiceAction.Policy?
    var signalProcess: SignalProcessAction.Policy?
    var redisDeleteKeys: RedisDeleteKeysAction.Policy?
    var redisFlushDatabase: RedisFlushDatabaseAction.Policy?
    var redisSetMaxMemory: RedisSetMaxMemoryAction.Policy?
    var postgresTerminateIdle: PostgresTerminateIdleAction.Policy?
    var httpCall: HTTPCallAction.Policy?
    var runScript: RunScriptAction.Policy?
    /// Per enabled action; an enabled action without an entry has the defaults.
    var limits: [ActionName: Limits] = [:]

    /// The enabled actions, in `ActionName` order: what the agent's Hello offers the coordinator.
    var enabledActions: [ActionName] {
        ActionName.allCases.filter(isEnabled)
    }

    func isEnabled(_ action: ActionName) -> Bool {
        switch action {
        case .restartService: restartService != nil
        case .signalProcess: signalProcess != nil
        case .redisDeleteKeys: redisDeleteKeys != nil
        case .redisFlushDatabase: redisFlushDatabase != nil
        case .redisSetMaxMemory: redisSetMaxMemory != nil
        case .postgresTerminateIdle: postgresTerminateIdle != nil
        case .httpCall: httpCall != nil
        case .runScript: runScript != nil
        }
    }

    func limits(for action: ActionName) -> Limits { limits[action] ?? Limits() }

    /// The action a command asks for, with its parameters checked against this policy; throws the rule it
    /// breaks otherwise.
    func makeAction(named actionName: String, parameters: [String: String]) throws(ActionRefusal) -> any AgentAction {
        guard let action = ActionName(rawValue: actionName) else {
            throw ActionRefusal("action \"\(actionName)\" is not one this agent knows")
        }
        let timeout = limits(for: action).timeout
        let notEnabled = ActionRefusal("action \(action.rawValue) is not enabled in this agent's policy")
        switch action {
        case .restartService:
            guard let policy = restartService else { throw notEnabled }
            return try RestartServiceAction(parameters: parameters, policy: policy, timeout: timeout)
        case .signalProcess:
            guard let policy = signalProcess else { throw notEnabled }
            return try SignalProcessAction(parameters: parameters, policy: policy, timeout: timeout)
        case .redisDeleteKeys:
            guard let policy = redisDeleteKeys else { throw notEnabled }
            return try RedisDeleteKeysAction(parameters: parameters, policy: policy, timeout: timeout)
        case .redisFlushDatabase:
            guard let policy = redisFlushDatabase else { throw notEnabled }
            return try RedisFlushDatabaseAction(parameters: parameters, policy: policy, timeout: timeout)
        case .redisSetMaxMemory:
            guard let policy = redisSetMaxMemory else { throw notEnabled }
            return try RedisSetMaxMemoryAction(parameters: parameters, policy: policy, timeout: timeout)
        case .postgresTerminateIdle:
            guard let policy = postgresTerminateIdle else { throw notEnabled }
            return try PostgresTerminateIdleAction(parameters: parameters, policy: policy, timeout: timeout)
        case .httpCall:
            guard let policy = httpCall else { throw notEnabled }
            return try HTTPCallAction(parameters: parameters, policy: policy, timeout: timeout)
        case .runScript:
            guard let policy = runScript else { throw notEnabled }
            return try RunScriptAction(parameters: parameters, policy: policy, timeout: timeout)
        }
    }
}
