import Shared

/// `restart_service`: runs the argv the policy gives for a service — `systemctl restart …`, a supervisor's
/// command, or a script of the deployment's own.
struct RestartServiceAction: AgentAction {
    /// `actions.restart_service`: each service the coordinator may restart, with the exact argv to do it.
    struct Policy: Sendable, Equatable {
        var services: [String: [String]]
    }

    let service: String
    let argv: [String]
    let timeout: Duration

    init(parameters: [String: String], policy: Policy, timeout: Duration) throws(ActionRefusal) {
        let parameters = try ActionParameters(parameters, for: .restartService, accepting: [ActionParameter.service])
        let service = try parameters.required(ActionParameter.service)
        guard let argv = policy.services[service] else {
            throw ActionRefusal("service \"\(service)\" is not allowed for restart_service")
        }
        self.service = service
        self.argv = argv
        self.timeout = timeout
    }

    var intent: String { "restart \(service) with \(argv.joined(separator: " "))" }

    func perform() async throws -> ActionOutcome {
        let completion = try await CommandLineRunner.run(argv, timeout: timeout)
        return ActionOutcome(completion, running: "restart of \(service)", timeout: timeout)
    }
}
