import Foundation
import Shared

/// `signal_process`: sends a signal the policy allows to a process the policy names, found by the same rules
/// as the process collector (`process_name`, `pid_file`, `command_line`) — every matching process gets it.
struct SignalProcessAction: AgentAction {
    /// `actions.signal_process`: the processes by name and the signals they may be sent.
    struct Policy: Sendable, Equatable {
        var processes: [String: ProcessMatcher]
        /// Names without the `SIG` prefix, upper case: `HUP`, `USR2`, `TERM`.
        var signals: [String]
        var procRoot = "/proc"
    }

    /// The signals a policy may name; others (SEGV, ABRT…) are never a remediation.
    static let knownSignals: [String: Int32] = [
        "HUP": SIGHUP, "INT": SIGINT, "QUIT": SIGQUIT, "KILL": SIGKILL, "USR1": SIGUSR1, "USR2": SIGUSR2,
        "ALRM": SIGALRM, "TERM": SIGTERM, "CONT": SIGCONT, "STOP": SIGSTOP, "WINCH": SIGWINCH,
    ]

    let process: String
    let matcher: ProcessMatcher
    let signalName: String
    let signalNumber: Int32
    let procRoot: String
    let timeout: Duration

    init(parameters: [String: String], policy: Policy, timeout: Duration) throws(ActionRefusal) {
        let parameters = try ActionParameters(
            parameters,
            for: .signalProcess,
            accepting: [ActionParameter.process, ActionParameter.signal]
        )
        let process = try parameters.required(ActionParameter.process)
        guard let matcher = policy.processes[process] else {
            throw ActionRefusal("process \"\(process)\" is not allowed for signal_process")
        }
        let requested = try parameters.required(ActionParameter.signal)
        let name = Self.normalized(requested)
        guard policy.signals.contains(name), let number = Self.knownSignals[name] else {
            throw ActionRefusal("signal \"\(requested)\" is not allowed for signal_process on process \(process)")
        }
        self.process = process
        self.matcher = matcher
        self.signalName = name
        self.signalNumber = number
        self.procRoot = policy.procRoot
        self.timeout = timeout
    }

    /// `SIGUSR2`, `sigusr2` and `USR2` all name the same signal.
    static func normalized(_ name: String) -> String {
        let upper = name.uppercased()
        return upper.hasPrefix("SIG") ? String(upper.dropFirst(3)) : upper
    }

    var intent: String { "send SIG\(signalName) to every process matching \(process)" }

    func perform() async throws -> ActionOutcome {
        let pids: [Int32]
        do { pids = try matcher.matchingPIDs(procRoot: procRoot, target: "process \(process)") } catch {
            throw ActionError.unavailable(target: "process \(process)", reason: "\(error)")
        }
        guard !pids.isEmpty else {
            return ActionOutcome(isSuccess: false, exitCode: 1, detail: "no running process matches \(process)")
        }
        var signalled: [Int32] = []
        var failures: [String] = []
        // A pid can end between the listing and the signal; ESRCH then says so rather than hitting another
        // process, since the kernel does not hand out a pid again that quickly.
        for pid in pids.sorted() {
            if kill(pid, signalNumber) == 0 {
                signalled.append(pid)
            } else {
                failures.append("pid \(pid): \(String(cString: strerror(errno)))")
            }
        }
        let sent = "sent SIG\(signalName) to \(process) (pid \(signalled.map(String.init).joined(separator: ", ")))"
        guard failures.isEmpty else {
            let prefix = signalled.isEmpty ? "" : sent + "; "
            return ActionOutcome(
                isSuccess: false,
                exitCode: 1,
                detail: prefix + "failed for " + failures.joined(separator: ", ")
            )
        }
        return ActionOutcome(isSuccess: true, detail: sent)
    }
}
