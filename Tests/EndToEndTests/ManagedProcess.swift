import Foundation

/// One of the real `vigil` or `vigil-agent` binaries, started by a test with its output captured to files.
final class ManagedProcess: @unchecked Sendable {
    // Invariant: `process` is only configured before `run()`; afterwards it is read or signalled, which
    // Foundation's Process allows from any thread.
    private let process = Process()
    let outputPath: String
    let errorPath: String

    /// The directory holding the built products, next to the test bundle.
    static var binaryDirectory: URL {
        if let override = ProcessInfo.processInfo.environment["VIGIL_BIN_DIR"] {
            return URL(fileURLWithPath: override)
        }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
        while directory.path != "/" && !FileManager.default.fileExists(atPath: directory.appendingPathComponent("vigil").path) {
            directory.deleteLastPathComponent()
        }
        return directory
    }

    convenience init(_ binary: String, _ arguments: [String], in directory: String, name: String) throws {
        try self.init(
            executable: Self.binaryDirectory.appendingPathComponent(binary),
            arguments,
            in: directory,
            name: name
        )
    }

    /// A Python script of the tests' own, such as an application to watch.
    static func python(_ arguments: [String], in directory: String, name: String) throws -> ManagedProcess {
        try ManagedProcess(executable: URL(fileURLWithPath: "/usr/bin/env"), ["python3"] + arguments, in: directory, name: name)
    }

    init(executable: URL, _ arguments: [String], in directory: String, name: String) throws {
        outputPath = directory + "/\(name).out"
        errorPath = directory + "/\(name).err"
        guard FileManager.default.createFile(atPath: outputPath, contents: nil),
            FileManager.default.createFile(atPath: errorPath, contents: nil)
        else { throw EndToEndError.unexpected("cannot create output files in \(directory)") }
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        try process.run()
    }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    var errorOutput: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }
    var isRunning: Bool { process.isRunning }

    /// Waits until stdout holds a line containing `text`, and returns that line.
    func waitForLine(containing text: String, timeout: Duration = .seconds(30)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = output.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            guard process.isRunning else { throw EndToEndError.exited(status: process.terminationStatus, errorOutput) }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw EndToEndError.timedOut("\"\(text)\" in the output of \(process.executableURL?.lastPathComponent ?? "?")")
    }

    /// Sends SIGTERM and waits for the exit status.
    func stop() async throws -> Int32 {
        if process.isRunning { process.terminate() }
        return try await waitForExit()
    }

    /// Sends SIGTERM without waiting.
    func terminate() {
        if process.isRunning { process.terminate() }
    }

    /// Sends SIGKILL: the process gets no chance to clean up.
    func kill() async throws {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        _ = try await waitForExit()
    }

    func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { throw EndToEndError.timedOut("process exit") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }
}

enum EndToEndError: Error, CustomStringConvertible {
    case exited(status: Int32, String)
    case timedOut(String)
    case unexpected(String)

    var description: String {
        switch self {
        case .exited(let status, let stderr): "process exited with \(status): \(stderr.suffix(2_000))"
        case .timedOut(let what): "timed out waiting for \(what)"
        case .unexpected(let what): what
        }
    }
}

/// Runs a binary to completion and returns its status and output.
func runToCompletion(_ binary: String, _ arguments: [String], in directory: String) async throws
    -> (status: Int32, output: String, error: String)
{
    let process = try ManagedProcess(binary, arguments, in: directory, name: "\(binary)-\(UUID().uuidString)")
    let status = try await process.waitForExit()
    return (status, process.output, process.errorOutput)
}
