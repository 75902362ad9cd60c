import ArgumentParser

/// `vigil incident …`: commands about one incident.
struct IncidentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident",
        abstract: "Look at one incident.",
        subcommands: [IncidentShowCommand.self]
    )
}
