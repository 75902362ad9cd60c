/// What the HTTP API lets operators do with remediation.
protocol RemediationOperations: Sendable {
    /// Sends the command an approval was waiting for.
    func approve(_ approval: String, by person: String) async throws(RemediationError) -> RemediationCommand
    func pause(by person: String) async
    func resume(by person: String) async
    func status() async -> RemediationStatus
}
