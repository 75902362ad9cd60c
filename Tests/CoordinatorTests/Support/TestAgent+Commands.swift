import Foundation
import Shared

@testable import Coordinator

extension TestAgent {
    /// The next command, skipping acknowledgements and pongs; throws if the coordinator rejects or closes.
    func nextCommand() async throws -> CommandRequest {
        while true {
            switch try await receive() {
            case .command(let request): return request
            case .reject(let reject): throw CoordinatorTestError.unexpected("rejected: \(reject)")
            default: continue
            }
        }
    }

    /// Reads the next command and answers it; returns the command.
    @discardableResult
    func answerNextCommand(
        outcome: CommandResult.Outcome = .succeeded,
        exitCode: Int32 = 0,
        outputTail: String = "nginx restarted\n",
        detail: String = ""
    ) async throws -> CommandRequest {
        let request = try await nextCommand()
        try await answer(request, outcome: outcome, exitCode: exitCode, outputTail: outputTail, detail: detail)
        return request
    }

    /// Sends a result for `request`, as if it took 1.2 s.
    func answer(
        _ request: CommandRequest,
        outcome: CommandResult.Outcome = .succeeded,
        exitCode: Int32 = 0,
        outputTail: String = "nginx restarted\n",
        detail: String = ""
    ) async throws {
        let started = Date()
        try await send(
            .commandResult(
                CommandResult(
                    commandID: request.id,
                    outcome: outcome,
                    exitCode: exitCode,
                    outputTail: outputTail,
                    startedAt: started,
                    finishedAt: started.addingTimeInterval(1.2),
                    detail: detail
                )
            )
        )
    }

    /// A ping answered: every message sent before it has been handled by the session.
    func roundTrip() async throws {
        try await send(.ping(Ping(nonce: 42, sentAtUnixMilliseconds: 0)))
        while true {
            if case .pong = try await receive() { return }
        }
    }

    /// Connects as `node`, retrying while the coordinator still holds the node's previous session (as an agent's
    /// reconnect backoff does), and runs `body` once welcomed.
    static func withWelcome<T>(
        port: Int,
        node: String,
        _ body: (TestAgent) async throws -> T
    ) async throws -> T {
        for _ in 0..<100 {
            let outcome: T? = try await withConnection(port: port) { agent in
                let answer = try await agent.hello(node: node)
                if case .reject(let reject) = answer, reject.reason == .duplicateNode { return nil }
                guard case .welcome = answer else { throw CoordinatorTestError.unexpected("not welcomed: \(answer)") }
                return try await body(agent)
            }
            if let outcome { return outcome }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw CoordinatorTestError.unexpected("node \(node) stayed locked")
    }
}

/// Records every command that ended, and lets a test wait for the next one.
final class RecordingCommandObserver: CommandResultObserver {
    let finished: AsyncStream<RemediationCommand>
    private let continuation: AsyncStream<RemediationCommand>.Continuation

    init() {
        (finished, continuation) = AsyncStream<RemediationCommand>.makeStream()
    }

    func commandFinished(_ command: RemediationCommand) async {
        continuation.yield(command)
    }

    /// The next command that ended.
    func next() async throws -> RemediationCommand {
        for await command in finished { return command }
        throw CoordinatorTestError.unexpected("observer stream ended")
    }
}
