import ArgumentParser
import Foundation
import Shared

/// `vigil silence add|list|remove`: hold paging and automatic remediation for a node, a service or an incident
/// kind, now or in a maintenance window later.
struct SilenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "silence",
        abstract: "Hold paging and automatic remediation for a node, service or incident kind, now or in a maintenance window.",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a silence; with --starts-at later, a maintenance window."
        )
        @OptionGroup var client: ClientOptions
        @OptionGroup var identity: ActorOptions

        @Option(help: "Node the silence matches.") var node: String?
        @Option(help: "Service the silence matches.") var service: String?
        @Option(help: "Incident kind the silence matches, such as memory_leak.") var kind: String?
        @Option(name: .customLong("for"), help: "How long it lasts from its start, such as 2h.") var duration: String?
        @Option(help: "When it ends: an ISO 8601 time, or +2h from now.") var until: String?
        @Option(help: "When it starts: an ISO 8601 time, or +30m from now (default: now).") var startsAt: String?
        @Option(help: "Why, for the timeline of every incident it holds.") var reason: String

        func validate() throws {
            guard node != nil || service != nil || kind != nil else {
                throw ValidationError("give at least one of --node, --service or --kind")
            }
            if let node, NodeID(node) == nil {
                throw ValidationError("invalid --node \"\(node)\": use 1–128 of A-Z a-z 0-9 . _ - :")
            }
            switch (duration, until) {
            case (nil, nil): throw ValidationError("give --for or --until")
            case (.some, .some): throw ValidationError("give --for or --until, not both")
            default: break
            }
            if let duration {
                guard case .ago(let length)? = TimeBound(text: duration), length > .zero else {
                    throw ValidationError("invalid --for \"\(duration)\": \(SilenceRoutes.expectedDuration)")
                }
            }
            let now = Date()
            if let until, SilenceRoutes.time(until, now: now) == nil {
                throw ValidationError("invalid --until \"\(until)\": \(SilenceRoutes.expectedStart)")
            }
            if let startsAt, SilenceRoutes.time(startsAt, now: now) == nil {
                throw ValidationError("invalid --starts-at \"\(startsAt)\": \(SilenceRoutes.expectedStart)")
            }
            let text = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, text.count <= Silence.maximumReasonLength else {
                throw ValidationError("--reason must be 1 to \(Silence.maximumReasonLength) characters")
            }
        }

        func run() async throws {
            let body = SilenceRoutes.CreateBody(
                node: node,
                service: service,
                kind: kind,
                startsAt: startsAt,
                duration: duration,
                endsAt: until,
                by: try identity.person(),
                reason: reason
            )
            let silence = try await client.makeClient().post("/api/v1/silences", body: body, as: Silence.self)
            var output = StandardOutput()
            try SilenceListView(silences: [silence]).write(as: client.output, to: &output, single: true)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Active and scheduled silences.")
        @OptionGroup var client: ClientOptions

        @Flag(help: "Also those that ended or were removed.") var all = false

        func run() async throws {
            let path = APIClient.path("/api/v1/silences", query: [("all", all ? "true" : nil)])
            let list = try await client.makeClient().get(path, as: SilenceRoutes.SilenceList.self)
            var output = StandardOutput()
            try SilenceListView(silences: list.silences).write(as: client.output, to: &output)
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End a silence now; remediation it held carries on by itself."
        )
        @OptionGroup var client: ClientOptions
        @OptionGroup var identity: ActorOptions

        @Argument(help: "Silence id, such as sil-3f9a1c2e.") var id: String

        func validate() throws {
            guard !id.isEmpty, id.allSatisfy({ !$0.isWhitespace && !$0.isNewline }) else {
                throw ValidationError("invalid silence id \"\(id)\"")
            }
        }

        func run() async throws {
            let encoded = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", "_", "."])) ?? id
            let silence = try await client.makeClient().post(
                "/api/v1/silences/\(encoded)/remove",
                body: SilenceRoutes.RemoveBody(by: try identity.person()),
                as: Silence.self
            )
            var output = StandardOutput()
            try SilenceListView(silences: [silence]).write(as: client.output, to: &output, single: true)
        }
    }
}
