/// The actions an agent can run, by the names commands carry on the wire, with the parameters each takes.
///
/// Both programs use these: the coordinator's runbooks and `vigil remediate` name them, the agent's policy
/// enables and bounds them. An agent refuses any other name.
public enum ActionName: String, Hashable, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// Restarts a service with the argv the agent's policy gives for it. Parameter `service`.
    case restartService = "restart_service"
    /// Sends a signal to a watched process. Parameters `process`, `signal` (e.g. `USR2`).
    case signalProcess = "signal_process"
    /// Deletes keys matching a pattern with SCAN and UNLINK, in batches. Parameters `instance`, `pattern`.
    case redisDeleteKeys = "redis_delete_keys"
    /// FLUSHDB of the database the policy configures for the instance. Parameter `instance`.
    case redisFlushDatabase = "redis_flush_db"
    /// CONFIG SET maxmemory. Parameters `instance`, `bytes`.
    case redisSetMaxMemory = "redis_set_maxmemory"
    /// Terminates client sessions idle for longer than a number of minutes. Parameters `instance`,
    /// `idle_minutes`.
    case postgresTerminateIdle = "postgres_terminate_idle"
    /// Calls a local admin endpoint the policy names. Parameter `endpoint`.
    case httpCall = "http_call"
    /// Runs a script the policy names, with validated arguments. Parameters `script`, and `args` (arguments
    /// separated by single spaces, each checked by the policy).
    case runScript = "run_script"

    /// The wire name, as messages and timelines write it.
    public var description: String { rawValue }
}

/// The parameter names of `ActionName`s.
public enum ActionParameter {
    public static let service = "service"
    public static let process = "process"
    public static let signal = "signal"
    public static let instance = "instance"
    public static let pattern = "pattern"
    public static let bytes = "bytes"
    public static let idleMinutes = "idle_minutes"
    public static let endpoint = "endpoint"
    public static let script = "script"
    public static let arguments = "args"
}
