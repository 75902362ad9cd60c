/// Whoever must know when a command is over (a result arrived, or it expired): remediation verifies the fix.
protocol CommandResultObserver: Sendable {
    func commandFinished(_ command: RemediationCommand) async
}
