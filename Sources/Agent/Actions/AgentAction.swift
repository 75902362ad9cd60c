/// One remediation the agent can run, already parsed from a command's parameters and checked against the
/// policy: an instance can only be made from a permitted request, so running it needs no further checks.
protocol AgentAction: Sendable {
    /// What the action would do, in words an operator reads in a dry run: `restart review-engine with
    /// /usr/bin/systemctl restart review-engine`.
    var intent: String { get }
    /// The longest the action may take; past it the action is stopped and reported as failed.
    var timeout: Duration { get }
    /// Does the work. Throws only when the action could not be carried out at all; an action that ran and
    /// failed (a script exiting 1) returns an unsuccessful outcome instead.
    func perform() async throws -> ActionOutcome
}

extension AgentAction {
    /// Performs the action, or only describes it when `dryRun` is set: a dry run has validated everything
    /// by the time an instance exists, so it succeeds without touching anything.
    func run(dryRun: Bool) async throws -> ActionOutcome {
        guard !dryRun else { return ActionOutcome(isSuccess: true, detail: "dry run: would \(intent)") }
        return try await perform()
    }
}
