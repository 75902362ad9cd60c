import ArgumentParser
import Foundation

/// Who an operator command acts as, for the incident's timeline: `--by`, else `$VIGIL_USER`, else `$USER`,
/// so a shared jump host can still say which person did it.
struct ActorOptions: ParsableArguments {
    static let fallbackName = "operator"

    @Option(name: .long, help: "Who is acting, for the timeline (default: $VIGIL_USER, else $USER, else operator).")
    var by: String?

    func validate() throws {
        _ = try person()
    }

    /// The acting person's name, trimmed; a ValidationError naming where it came from when it is unusable.
    func person(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let (source, text) = Self.source(by: by, environment: environment)
        do {
            return try IncidentRoutes.checkedName(text, field: source)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// Which setting names the person, and its text; empty variables count as unset.
    private static func source(by: String?, environment: [String: String]) -> (String, String) {
        if let by { return ("--by", by) }
        for variable in ["VIGIL_USER", "USER"] {
            if let value = environment[variable], !value.trimmingCharacters(in: .whitespaces).isEmpty {
                return (variable, value)
            }
        }
        return ("--by", fallbackName)
    }
}
