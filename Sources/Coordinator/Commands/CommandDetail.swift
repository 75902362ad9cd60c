/// One command with its audit log, as `vigil commands` and the API show it.
struct CommandDetail: Hashable, Sendable, Codable {
    var command: RemediationCommand
    var audit: [CommandAuditEntry]
}
