import Foundation
import Shared
import Testing

@testable import Agent

/// The on-disk log of executed commands.
struct ExecutedCommandLogTests {
    private func result(_ id: String, _ outcome: CommandResult.Outcome = .succeeded) -> CommandResult {
        CommandResult(
            commandID: id,
            outcome: outcome,
            exitCode: 0,
            outputTail: "tail of \(id)",
            startedAt: Date(timeIntervalSince1970: 1_000),
            finishedAt: Date(timeIntervalSince1970: 1_001),
            detail: "done \(id)"
        )
    }

    @Test func remembersAcrossReopening() throws {
        let directory = try TemporaryDirectory()
        do {
            let log = try ExecutedCommandLog(directory: directory.path)
            try log.recordStarted(id: "c1", action: "restart_service", at: Date(timeIntervalSince1970: 1_000))
            try log.recordFinished(result("c1"), action: "restart_service")
            try log.recordStarted(id: "c2", action: "http_call", at: Date(timeIntervalSince1970: 2_000))
        }
        let reopened = try ExecutedCommandLog(directory: directory.path)
        #expect(reopened.entry(for: "c1") == .finished(result("c1")))
        #expect(reopened.entry(for: "c2") == .started(action: "http_call", at: Date(timeIntervalSince1970: 2_000)))
        #expect(reopened.entry(for: "c3") == nil)
    }

    @Test func ignoresALineTornByACrash() throws {
        let directory = try TemporaryDirectory()
        do {
            let log = try ExecutedCommandLog(directory: directory.path)
            try log.recordStarted(id: "c1", action: "restart_service", at: Date(timeIntervalSince1970: 1_000))
        }
        let path = directory.path + "/" + ExecutedCommandLog.fileName
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"id\":\"c1\",\"ev".utf8))
        try handle.close()
        let reopened = try ExecutedCommandLog(directory: directory.path)
        #expect(reopened.unreadableLines == 1)
        #expect(
            reopened.entry(for: "c1") == .started(action: "restart_service", at: Date(timeIntervalSince1970: 1_000))
        )
    }

    @Test func keepsTheLastIdsAndCompactsTheFile() throws {
        let directory = try TemporaryDirectory()
        let log = try ExecutedCommandLog(directory: directory.path, capacity: 10)
        for index in 0..<30 {
            try log.recordStarted(id: "c\(index)", action: "http_call", at: Date(timeIntervalSince1970: 1_000))
            try log.recordFinished(result("c\(index)"), action: "http_call")
        }
        #expect(log.entry(for: "c19") == nil)
        #expect(log.entry(for: "c20") == .finished(result("c20")))
        #expect(log.lineCount <= 20)
        let reopened = try ExecutedCommandLog(directory: directory.path, capacity: 10)
        #expect(reopened.entry(for: "c29") == .finished(result("c29")))
        #expect(reopened.entry(for: "c5") == nil)
        let lines = try directory.read(ExecutedCommandLog.fileName).split(separator: "\n")
        #expect(lines.count <= 20)
    }
}
