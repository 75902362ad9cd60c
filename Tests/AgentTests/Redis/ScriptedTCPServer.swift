import Foundation

/// A TCP listener on a loopback port that answers every connection with fixed bytes, whatever it is sent:
/// the server that is not Redis (or is a broken one), for the client's bad-input paths.
///
/// It is a small Python process, like the HTTP test server, so the bytes on the wire are exactly the script's.
final class ScriptedTCPServer: @unchecked Sendable {
    // Invariant: `process` is configured before `run()` and afterwards only signalled.
    private let process: Process
    private let outputPath: String
    let port: Int

    /// What the server does with each connection.
    enum Behaviour {
        /// Sends the bytes at once, then reads until the client closes.
        case send([UInt8])
        /// Closes the connection without a word.
        case close
    }

    private static let script = """
        import socket, sys
        payload = bytes.fromhex(sys.argv[1])
        close_at_once = sys.argv[2] == "close"
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        print("listening", listener.getsockname()[1], flush=True)
        while True:
            connection, _ = listener.accept()
            try:
                if not close_at_once:
                    connection.sendall(payload)
                    while connection.recv(65536):
                        pass
            except OSError:
                pass
            connection.close()
        """

    private init(process: Process, outputPath: String, port: Int) {
        self.process = process
        self.outputPath = outputPath
        self.port = port
    }

    static func start(_ behaviour: Behaviour) async throws -> ScriptedTCPServer {
        let outputPath = NSTemporaryDirectory() + "vigil-tcp-\(UUID().uuidString).out"
        guard FileManager.default.createFile(atPath: outputPath, contents: nil) else {
            throw TestServerError.didNotStart("cannot create \(outputPath)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        switch behaviour {
        case .send(let bytes):
            process.arguments = ["python3", "-c", script, bytes.map { String(format: "%02x", $0) }.joined(), "send"]
        case .close:
            process.arguments = ["python3", "-c", script, "", "close"]
        }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        try process.run()
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first, line.hasPrefix("listening "),
                let port = Int(line.dropFirst("listening ".count))
            {
                return ScriptedTCPServer(process: process, outputPath: outputPath, port: port)
            }
            guard process.isRunning else { throw TestServerError.didNotStart("scripted TCP server exited") }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.terminate()
        throw TestServerError.didNotStart("scripted TCP server did not say it was listening")
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: outputPath)
    }
}
