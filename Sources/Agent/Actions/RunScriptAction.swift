import Shared

/// `run_script`: runs a script the policy names, with its fixed leading arguments and then the command's
/// arguments, each checked against the policy's pattern for its position.
struct RunScriptAction: AgentAction {
    /// One script the coordinator may run.
    struct Script: Sendable {
        /// Absolute, without `..`.
        var path: String
        /// Arguments always passed first, before the command's.
        var fixedArguments: [String]
        /// Argument `i` of the command must match pattern `i` in full; arguments past the last pattern must
        /// match the last one. No patterns means the script takes no arguments.
        var argumentPatterns: [String]
        var maximumArguments: Int
    }

    /// `actions.run_script`: the scripts by name.
    struct Policy: Sendable {
        var scripts: [String: Script]
    }

    let name: String
    let argv: [String]
    let timeout: Duration

    init(parameters: [String: String], policy: Policy, timeout: Duration) throws(ActionRefusal) {
        let parameters = try ActionParameters(
            parameters,
            for: .runScript,
            accepting: [ActionParameter.script, ActionParameter.arguments]
        )
        let name = try parameters.required(ActionParameter.script)
        guard let script = policy.scripts[name] else {
            throw ActionRefusal("script \"\(name)\" is not allowed for run_script")
        }
        let text = parameters.optional(ActionParameter.arguments) ?? ""
        let arguments = try Self.validate(text, for: script, named: name)
        self.name = name
        self.argv = [script.path] + script.fixedArguments + arguments
        self.timeout = timeout
    }

    var intent: String { "run script \(name): \(argv.joined(separator: " "))" }

    func perform() async throws -> ActionOutcome {
        let completion = try await CommandLineRunner.run(argv, timeout: timeout)
        return ActionOutcome(completion, running: "script \(name)", timeout: timeout)
    }

    /// Splits `text` on single spaces and checks every argument; the checks that need no pattern come first,
    /// so `..`, `;`, line breaks and NUL are refused whatever a pattern would have allowed.
    static func validate(_ text: String, for script: Script, named name: String) throws(ActionRefusal) -> [String] {
        guard !text.isEmpty else { return [] }
        let arguments = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard arguments.count <= script.maximumArguments else {
            throw ActionRefusal(
                "script \(name) takes at most \(script.maximumArguments) arguments, not \(arguments.count)"
            )
        }
        for (index, argument) in arguments.enumerated() {
            let position = "argument \(index + 1) of script \(name)"
            guard !argument.isEmpty else {
                throw ActionRefusal("\(position) is empty (arguments are separated by single spaces)")
            }
            if argument.contains("..") { throw ActionRefusal("\(position) contains \"..\"") }
            if argument.contains(";") { throw ActionRefusal("\(position) contains \";\"") }
            if argument.unicodeScalars.contains(where: {
                $0 == "\0" || $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F
            }) {
                throw ActionRefusal("\(position) contains a control or line-break character")
            }
            guard let pattern = script.argumentPatterns.last else {
                throw ActionRefusal("script \(name) takes no arguments")
            }
            let chosen = index < script.argumentPatterns.count ? script.argumentPatterns[index] : pattern
            let regex: Regex<AnyRegexOutput>
            do { regex = try Regex(chosen) } catch {
                // The configuration check compiles every pattern, so this means a pattern it never saw.
                throw ActionRefusal("the pattern for \(position) is not a valid regular expression")
            }
            guard argument.wholeMatch(of: regex) != nil else {
                throw ActionRefusal("\(position) does not match the pattern \(chosen) allowed for run_script")
            }
        }
        return arguments
    }
}
