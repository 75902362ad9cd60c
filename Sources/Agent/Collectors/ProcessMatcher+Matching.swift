import Foundation

extension ProcessMatcher {
    /// The pids of the running processes this matcher names, found in `procRoot`; the agent itself never
    /// matches, since its own command line would otherwise match patterns naming the process.
    ///
    /// Shared by the process collector and the `signal_process` action, so that a process is the same process
    /// whether it is watched or signalled.
    func matchingPIDs(procRoot: String = "/proc", target: String) throws(CollectorError) -> [Int32] {
        switch self {
        case .pidFile(let path):
            return [try Self.pid(fromFile: path, procRoot: procRoot, target: target)]
        case .processName(let wanted):
            return try Self.runningPIDs(procRoot: procRoot).filter { pid in
                if let comm = try? ProcFile.read("\(procRoot)/\(pid)/comm"),
                    comm.trimmingCharacters(in: .newlines) == wanted
                {
                    return true
                }
                let argv0 =
                    Self.commandLine(of: pid, procRoot: procRoot).split(separator: "\0").first.map(String.init) ?? ""
                return !argv0.isEmpty && URL(fileURLWithPath: argv0).lastPathComponent == wanted
            }
        case .commandLine(let pattern):
            let regex: Regex<AnyRegexOutput>
            do { regex = try Regex(pattern) } catch {
                throw .unavailable(target: target, reason: "bad command_line pattern: \(error)")
            }
            return try Self.runningPIDs(procRoot: procRoot).filter { pid in
                // Kernel threads have no command line; joining by spaces lets a pattern span arguments.
                let arguments = Self.commandLine(of: pid, procRoot: procRoot).split(separator: "\0").joined(
                    separator: " "
                )
                return !arguments.isEmpty && arguments.contains(regex)
            }
        }
    }

    private static func pid(fromFile path: String, procRoot: String, target: String) throws(CollectorError) -> Int32 {
        let text: String
        do { text = try ProcFile.read(path) } catch {
            guard case .unreadable(_, let reason) = error else { throw error }
            throw .unavailable(target: target, reason: "cannot read pid file \(path): \(reason)")
        }
        guard let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 else {
            throw .unavailable(target: target, reason: "pid file \(path) does not hold a pid")
        }
        guard FileManager.default.fileExists(atPath: "\(procRoot)/\(pid)/stat") else {
            throw .unavailable(target: target, reason: "pid file \(path) names pid \(pid), which is not running")
        }
        return pid
    }

    /// Every process but the agent itself.
    private static func runningPIDs(procRoot: String) throws(CollectorError) -> [Int32] {
        let entries: [String]
        do { entries = try FileManager.default.contentsOfDirectory(atPath: procRoot) } catch {
            throw .unreadable(path: procRoot, reason: reason(error))
        }
        let own = getpid()
        return entries.compactMap { Int32($0) }.filter { $0 != own }
    }

    private static func commandLine(of pid: Int32, procRoot: String) -> String {
        (try? ProcFile.read("\(procRoot)/\(pid)/cmdline")) ?? ""
    }

    private static func reason(_ error: any Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let code = underlying?.code, underlying?.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(code)))
        }
        return (error as NSError).localizedDescription
    }
}
