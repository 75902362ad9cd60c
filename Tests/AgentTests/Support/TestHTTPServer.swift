import Foundation

/// `http_test_server.py` as a real process on an ephemeral loopback port, for probe and scrape tests.
final class TestHTTPServer: @unchecked Sendable {
    // Invariant: `process` is configured before `run()` and afterwards only signalled.
    private let process: Process
    private let outputPath: String
    let port: Int

    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(process: Process, outputPath: String, port: Int) {
        self.process = process
        self.outputPath = outputPath
        self.port = port
    }

    /// Starts the server, serving files from `root` under `/file/<name>`, and waits until it listens.
    static func start(root: String = TestHTTPServer.fixturesDirectory) async throws -> TestHTTPServer {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("http_test_server.py")
        let outputPath = NSTemporaryDirectory() + "vigil-http-\(UUID().uuidString).out"
        guard FileManager.default.createFile(atPath: outputPath, contents: nil) else {
            throw TestServerError.didNotStart("cannot create \(outputPath)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, root]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        try process.run()
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first, line.hasPrefix("listening "),
                let port = Int(line.dropFirst("listening ".count))
            {
                return TestHTTPServer(process: process, outputPath: outputPath, port: port)
            }
            guard process.isRunning else { throw TestServerError.didNotStart("http_test_server.py exited") }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.terminate()
        throw TestServerError.didNotStart("http_test_server.py did not say it was listening")
    }

    /// `Tests/AgentTests/Fixtures`.
    static var fixturesDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").path
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: outputPath)
    }
}

enum TestServerError: Error, CustomStringConvertible {
    case didNotStart(String)

    var description: String {
        switch self {
        case .didNotStart(let why): "test server did not start: \(why)"
        }
    }
}
