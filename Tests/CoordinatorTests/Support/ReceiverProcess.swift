import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A Python receiver from this folder as a real process: started with Debian's interpreter, ready once it prints
/// `listening PORT`, and killed by its pid when the owner is done with it (the script also exits by itself when
/// the test process is gone).
final class ReceiverProcess: @unchecked Sendable {
    // Invariant: `process` is configured before `run()` and afterwards only signalled.
    private let process: Process
    let port: Int
    /// A directory of the receiver's own, removed with it.
    let directory: String

    private init(process: Process, port: Int, directory: String) {
        self.process = process
        self.port = port
        self.directory = directory
    }

    /// Starts `script` (a file next to this one) with `arguments`, in a fresh directory that `arguments` may
    /// refer to through `directory`, and waits until it says it is listening.
    static func start(
        script: String,
        arguments: (_ directory: String) -> [String]
    ) async throws -> ReceiverProcess {
        let directory = NSTemporaryDirectory() + "vigil-receiver-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let outputPath = directory + "/stdout"
        let errorPath = directory + "/stderr"
        for path in [outputPath, errorPath] where !FileManager.default.createFile(atPath: path, contents: nil) {
            throw ReceiverError.didNotStart("cannot create \(path)")
        }
        let scriptPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(script).path
        let process = Process()
        // Debian's interpreter: it is the one that sees python3-aiosmtpd.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [scriptPath] + arguments(directory)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first, line.hasPrefix("listening "),
                let port = Int(line.dropFirst("listening ".count))
            {
                return ReceiverProcess(process: process, port: port, directory: directory)
            }
            guard process.isRunning else {
                let problem = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
                try? FileManager.default.removeItem(atPath: directory)
                throw ReceiverError.didNotStart("\(script) exited: \(problem.suffix(500))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(process.processIdentifier, SIGKILL)
        try? FileManager.default.removeItem(atPath: directory)
        throw ReceiverError.didNotStart("\(script) did not say it was listening")
    }

    /// Kills the receiver now; the port refuses connections from then on.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The JSON lines of `file` in the receiver's directory, decoded in the order they were written.
    func records<Record: Decodable>(in file: String, as type: Record.Type) throws -> [Record] {
        let path = directory + "/" + file
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try text.split(separator: "\n").map { line in try decoder.decode(Record.self, from: Data(line.utf8)) }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

enum ReceiverError: Error, CustomStringConvertible {
    case didNotStart(String)
    case timedOut(String)

    var description: String {
        switch self {
        case .didNotStart(let why): "receiver did not start: \(why)"
        case .timedOut(let what): "receiver: \(what)"
        }
    }
}
