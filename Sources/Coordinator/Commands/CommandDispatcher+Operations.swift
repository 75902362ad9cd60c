import Foundation

/// What the HTTP API reads about commands: from the store, which has every command.
extension CommandDispatcher: CommandOperations {
    func commands(matching query: CommandQuery) async throws(CommandDispatchError) -> [RemediationCommand] {
        do {
            return try await store.commands(matching: query)
        } catch {
            throw .unavailable("\(error)")
        }
    }

    func detail(of id: CommandID) async throws(CommandDispatchError) -> CommandDetail? {
        do {
            guard let command = try await store.command(id) else { return nil }
            return CommandDetail(command: command, audit: try await store.auditEntries(of: id))
        } catch {
            throw .unavailable("\(error)")
        }
    }
}
