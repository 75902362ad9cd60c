import Foundation
import Shared
import Synchronization

/// The commands this agent has run, kept on disk so that no command id ever runs twice, across restarts.
///
/// An append-only file of JSON lines in the state directory: a `started` record, written and fsynced before
/// the action runs, and a `finished` record with its result afterwards. An id with both answers `duplicate`;
/// an id with only `started` means the agent stopped mid-action, and answers `unknown` rather than running
/// again. The last `capacity` ids are kept; the file is rewritten with only those once it holds twice as
/// many lines.
///
/// The writes block briefly (a few hundred bytes and an fsync, at most a few per hour per action), which
/// keeps the record ordered with the action it guards; the caller is an actor serving these commands only.
final class ExecutedCommandLog: Sendable {
    static let fileName = "executed-commands.jsonl"
    static let defaultCapacity = 10_000

    /// What the log knows about one command id.
    enum Entry: Sendable, Equatable {
        case started(action: String, at: Date)
        case finished(CommandResult)
    }

    let path: String
    let capacity: Int
    /// Lines that could not be read at startup, such as a record torn by a crash mid-write.
    let unreadableLines: Int
    private let state: Mutex<State>

    private struct State: ~Copyable {
        var descriptor: Int32
        var entries: [String: Entry] = [:]
        /// Ids oldest first; `entries` holds exactly these.
        var order: [String] = []
        var lines = 0

        deinit { close(descriptor) }
    }

    /// Opens (creating if needed) the log in `directory`, which is created too, readable by the agent only.
    init(directory: String, capacity: Int = ExecutedCommandLog.defaultCapacity) throws(Failure) {
        let path = (directory as NSString).appendingPathComponent(Self.fileName)
        let capacity = max(1, capacity)
        self.path = path
        self.capacity = capacity
        do {
            try FileManager.default.createDirectory(
                atPath: directory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw .unusable(path: directory, reason: (error as NSError).localizedDescription)
        }
        let descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .unusable(path: path, reason: String(cString: strerror(errno))) }
        var state = State(descriptor: descriptor)
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unusable(path: path, reason: (error as NSError).localizedDescription)
        }
        var unreadable = 0
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            state.lines += 1
            do {
                Self.apply(try decoder.decode(Record.self, from: line), to: &state, capacity: capacity)
            } catch {
                unreadable += 1
            }
        }
        self.unreadableLines = unreadable
        if state.lines > 2 * capacity { try Self.compact(&state, path: path) }
        self.state = Mutex(consume state)
    }

    func entry(for id: String) -> Entry? {
        state.withLock { $0.entries[id] }
    }

    /// Records that `id` is about to run; the action must not run unless this returns.
    func recordStarted(id: String, action: String, at date: Date) throws(Failure) {
        try append(Record(id: id, event: .started, action: action, startedAt: date))
    }

    /// Records how `result.commandID` ended.
    func recordFinished(_ result: CommandResult, action: String) throws(Failure) {
        var record = Record(id: result.commandID, event: .finished, action: action, startedAt: result.startedAt)
        record.outcome = result.outcome
        record.exitCode = result.exitCode
        record.outputTail = result.outputTail
        record.detail = result.detail
        record.finishedAt = result.finishedAt
        try append(record)
    }

    /// How many lines the file holds now, for tests of compaction.
    var lineCount: Int { state.withLock { $0.lines } }

    private func append(_ record: Record) throws(Failure) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = .sortedKeys
        let line: Data
        do { line = try encoder.encode(record) + Data([UInt8(ascii: "\n")]) } catch {
            throw .writeFailed(path: path, reason: "cannot encode the record: \(error)")
        }
        try state.withLock { (state) throws(Failure) -> Void in
            try Self.write(line, to: state.descriptor, path: path)
            state.lines += 1
            Self.apply(record, to: &state, capacity: capacity)
            if state.lines > 2 * capacity { try Self.compact(&state, path: path) }
        }
    }

    private static func apply(_ record: Record, to state: inout State, capacity: Int) {
        if state.entries[record.id] == nil { state.order.append(record.id) }
        state.entries[record.id] = record.entry
        if state.order.count > capacity {
            let evicted = state.order.prefix(state.order.count - capacity)
            for id in evicted { state.entries[id] = nil }
            state.order.removeFirst(evicted.count)
        }
    }

    /// Writes every byte, then fsyncs: a record is either on disk or the action does not run.
    private static func write(_ data: Data, to descriptor: Int32, path: String) throws(Failure) {
        let failure: Failure? = data.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return nil }
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return .writeFailed(path: path, reason: String(cString: strerror(errno)))
                }
                offset += written
            }
            return nil
        }
        if let failure { throw failure }
        guard fsync(descriptor) == 0 else { throw .writeFailed(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Rewrites the file with only the kept ids — a temporary file, fsynced, renamed over the old one — and
    /// continues appending to the new file.
    private static func compact(_ state: inout State, path: String) throws(Failure) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = .sortedKeys
        var data = Data()
        var lines = 0
        for id in state.order {
            guard let entry = state.entries[id] else { continue }
            for record in Record.records(for: id, entry) {
                do { data += try encoder.encode(record) + Data([UInt8(ascii: "\n")]) } catch {
                    throw .writeFailed(path: path, reason: "cannot encode the record: \(error)")
                }
                lines += 1
            }
        }
        let temporary = path + ".compacting"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .writeFailed(path: temporary, reason: String(cString: strerror(errno))) }
        do {
            try write(data, to: descriptor, path: temporary)
        } catch {
            close(descriptor)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            close(descriptor)
            throw .writeFailed(path: path, reason: String(cString: strerror(errno)))
        }
        // The rename is durable once the directory is synced too.
        let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            _ = fsync(directory)
            close(directory)
        }
        close(state.descriptor)
        state.descriptor = descriptor
        state.lines = lines
    }

    /// Why the log cannot be used; the agent does not run actions without it.
    enum Failure: Error, CustomStringConvertible, Equatable {
        case unusable(path: String, reason: String)
        case writeFailed(path: String, reason: String)

        var description: String {
            switch self {
            case .unusable(let path, let reason): "cannot use the executed-command log \(path): \(reason)"
            case .writeFailed(let path, let reason): "cannot write the executed-command log \(path): \(reason)"
            }
        }
    }
}
