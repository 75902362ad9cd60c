import Foundation
import Subprocess
import Synchronization

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// Runs a program from an argv array — never through a shell — with a time limit, keeping the last bytes of
/// its standard output and standard error together.
///
/// swift-subprocess waits for the child and reads its pipes without blocking a Swift concurrency thread. The
/// child gets a session of its own so that, at the time limit, SIGTERM and then SIGKILL reach whatever it
/// started too.
enum CommandLineRunner {
    /// How a finished run ended.
    struct Completion: Sendable, Equatable {
        /// The exit code, or 128 + the signal number when a signal ended it, as shells report it.
        var exitCode: Int32
        /// The signal that ended it, if one did.
        var signal: Int32?
        var outputTail: String
        var isTimedOut: Bool
    }

    /// How long a program stopped at its time limit has between SIGTERM and SIGKILL.
    static let terminationGrace: Duration = .seconds(2)

    static func run(_ argv: [String], timeout: Duration) async throws(ActionError) -> Completion {
        guard let executable = argv.first, executable.hasPrefix("/") else {
            throw .launchFailed(executable: argv.first ?? "", reason: "the program must be an absolute path")
        }
        let tail = TailBox()
        let ended: TerminationStatus?
        do {
            ended = try await withThrowingTaskGroup(of: TerminationStatus?.self) { group in
                group.addTask { try await launch(argv, into: tail) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                // The first child to finish decides; cancelling the other either stops the timer or makes
                // swift-subprocess run the teardown sequence on the program.
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
        } catch let error as SubprocessError {
            throw .launchFailed(
                executable: executable,
                reason: "\(error)".split(whereSeparator: \.isNewline).joined(separator: " ")
            )
        } catch {
            throw .launchFailed(executable: executable, reason: "\(error)")
        }
        let text = tail.text
        switch ended {
        case .exited(let code):
            return Completion(exitCode: code, signal: nil, outputTail: text, isTimedOut: false)
        case .signaled(let signal):
            return Completion(exitCode: 128 + signal, signal: signal, outputTail: text, isTimedOut: false)
        case nil:
            return Completion(exitCode: 128 + SIGKILL, signal: nil, outputTail: text, isTimedOut: true)
        }
    }

    private static func launch(_ argv: [String], into tail: TailBox) async throws -> TerminationStatus {
        var options = PlatformOptions()
        options.createSession = true
        options.teardownSequence = [
            .send(signal: .terminate, toProcessGroup: true, allowedDurationToNextStep: terminationGrace)
        ]
        let result = try await Subprocess.run(
            .path(FilePath(argv[0])),
            arguments: Arguments(Array(argv.dropFirst())),
            environment: .inherit,
            platformOptions: options,
            input: .none,
            output: .sequence,
            error: .combinedWithOutput
        ) { execution in
            for try await chunk in execution.standardOutput {
                chunk.withUnsafeBytes { tail.append($0) }
            }
        }
        return result.terminationStatus
    }
}

/// The output tail shared between the task reading the pipe and the caller, which reads it even when the
/// reading task was cancelled at the time limit.
private final class TailBox: Sendable {
    private let tail = Mutex(OutputTail())

    func append(_ bytes: UnsafeRawBufferPointer) {
        tail.withLock { $0.append(contentsOf: bytes) }
    }

    var text: String { tail.withLock { $0.text } }
}
