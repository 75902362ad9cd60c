import Foundation
import Testing

@testable import Agent

/// `restart_service`, `run_script` and `signal_process` with real programs.
@Suite(.timeLimit(.minutes(1)))
struct ProcessActionsTests {
    @Test func restartRunsThePolicysArgvAndKeepsItsOutputAndExitCode() async throws {
        let directory = try TemporaryDirectory()
        let script = try directory.write(
            "restart.sh",
            "#!/bin/sh\necho \"restarting $1\" > \"$2\"\necho out; echo err >&2\nexit 3\n",
            executable: true
        )
        let marker = directory.path + "/restarted"
        let policy = RestartServiceAction.Policy(services: ["review-engine": [script, "review-engine", marker]])
        let action = try RestartServiceAction(
            parameters: ["service": "review-engine"],
            policy: policy,
            timeout: .seconds(20)
        )
        let outcome = try await action.run(dryRun: false)
        #expect(!outcome.isSuccess)
        #expect(outcome.exitCode == 3)
        #expect(outcome.outputTail.contains("out\n"))
        #expect(outcome.outputTail.contains("err\n"))
        #expect(outcome.detail == "restart of review-engine exited with code 3")
        #expect(try directory.read("restarted") == "restarting review-engine\n")
    }

    @Test func keepsOnlyTheTailOfLongOutput() async throws {
        let directory = try TemporaryDirectory()
        let script = try directory.write(
            "chatty.sh",
            "#!/bin/sh\ni=0\nwhile [ $i -lt 2000 ]; do echo \"line $i of the output\"; i=$((i+1)); done\n",
            executable: true
        )
        let action = try RestartServiceAction(
            parameters: ["service": "s"],
            policy: .init(services: ["s": [script]]),
            timeout: .seconds(20)
        )
        let outcome = try await action.run(dryRun: false)
        #expect(outcome.isSuccess)
        #expect(outcome.outputTail.utf8.count <= ActionOutcome.maximumTailBytes)
        #expect(outcome.outputTail.hasSuffix("line 1999 of the output\n"))
    }

    @Test func stopsAProgramAtItsTimeout() async throws {
        let directory = try TemporaryDirectory()
        let script = try directory.write("hang.sh", "#!/bin/sh\necho started\nexec sleep 600\n", executable: true)
        let action = try RestartServiceAction(
            parameters: ["service": "s"],
            policy: .init(services: ["s": [script]]),
            timeout: .milliseconds(300)
        )
        let outcome = try await action.run(dryRun: false)
        #expect(!outcome.isSuccess)
        #expect(outcome.detail.contains("did not finish within"))
        #expect(outcome.outputTail == "started\n")
    }

    @Test func dryRunSaysWhatWouldRunAndRunsNothing() async throws {
        let directory = try TemporaryDirectory()
        let marker = directory.path + "/ran"
        let policy = RestartServiceAction.Policy(services: ["s": ["/usr/bin/touch", marker]])
        let action = try RestartServiceAction(parameters: ["service": "s"], policy: policy, timeout: .seconds(5))
        let outcome = try await action.run(dryRun: true)
        #expect(outcome.isSuccess)
        #expect(outcome.detail == "dry run: would restart s with /usr/bin/touch \(marker)")
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    // MARK: - run_script

    private func scriptPolicy(_ path: String) -> RunScriptAction.Policy {
        RunScriptAction.Policy(scripts: [
            "rotate": RunScriptAction.Script(
                path: path,
                fixedArguments: ["--quiet"],
                argumentPatterns: ["[a-z-]+", "[0-9]{1,3}"],
                maximumArguments: 3
            )
        ])
    }

    @Test func runScriptPassesValidatedArguments() async throws {
        let directory = try TemporaryDirectory()
        let script = try directory.write("rotate.sh", "#!/bin/sh\necho \"$@\"\n", executable: true)
        let action = try RunScriptAction(
            parameters: ["script": "rotate", "args": "review-engine 7 12"],
            policy: scriptPolicy(script),
            timeout: .seconds(10)
        )
        let outcome = try await action.run(dryRun: false)
        #expect(outcome.isSuccess)
        #expect(outcome.outputTail == "--quiet review-engine 7 12\n")
    }

    @Test(arguments: [
        ("../etc 7", "argument 1 of script rotate contains \"..\""),
        ("a;b", "argument 1 of script rotate contains \";\""),
        ("a\nb", "argument 1 of script rotate contains a control or line-break character"),
        ("a\0b", "argument 1 of script rotate contains a control or line-break character"),
        ("Upper", "argument 1 of script rotate does not match the pattern [a-z-]+ allowed for run_script"),
        ("a 1234", "argument 2 of script rotate does not match the pattern [0-9]{1,3} allowed for run_script"),
        ("a  1", "argument 2 of script rotate is empty (arguments are separated by single spaces)"),
        ("a 1 2 3", "script rotate takes at most 3 arguments, not 4"),
    ])
    func runScriptRefusesBadArguments(arguments: String, reason: String) {
        #expect(throws: ActionRefusal(reason)) {
            try RunScriptAction(
                parameters: ["script": "rotate", "args": arguments],
                policy: scriptPolicy("/bin/echo"),
                timeout: .seconds(1)
            )
        }
    }

    // MARK: - signal_process

    @Test func signalsTheProcessNamedByItsPidFile() async throws {
        let directory = try TemporaryDirectory()
        let marker = directory.path + "/signalled"
        let script = try directory.write(
            "worker.sh",
            "#!/bin/sh\ntrap 'echo USR2 > \"$1\"; exit 0' USR2\necho $$ > \"$2\"\nwhile :; do sleep 0.05; done\n",
            executable: true
        )
        let pidFile = directory.path + "/worker.pid"
        let worker = Process()
        worker.executableURL = URL(fileURLWithPath: script)
        worker.arguments = [marker, pidFile]
        try worker.run()
        defer { if worker.isRunning { kill(worker.processIdentifier, SIGKILL) } }
        // The shell creates the file before it writes the pid and its newline: wait for the whole line.
        while !((try? directory.read("worker.pid"))?.hasSuffix("\n") ?? false) {
            try await Task.sleep(for: .milliseconds(10))
        }

        let policy = SignalProcessAction.Policy(processes: ["worker": .pidFile(pidFile)], signals: ["USR2", "HUP"])
        let action = try SignalProcessAction(
            parameters: ["process": "worker", "signal": "SIGUSR2"],
            policy: policy,
            timeout: .seconds(5)
        )
        let outcome = try await action.run(dryRun: false)
        #expect(outcome.isSuccess)
        #expect(outcome.detail == "sent SIGUSR2 to worker (pid \(worker.processIdentifier))")
        while worker.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        #expect(worker.terminationStatus == 0)
        #expect(try directory.read("signalled") == "USR2\n")

        #expect(throws: ActionRefusal("signal \"KILL\" is not allowed for signal_process on process worker")) {
            try SignalProcessAction(
                parameters: ["process": "worker", "signal": "KILL"],
                policy: policy,
                timeout: .seconds(1)
            )
        }
    }
}
