import Foundation
import Shared
import Synchronization

/// Space and inodes per mounted filesystem, from the mount table and `statvfs`, each call bounded in time.
///
/// `statvfs` on a hung network mount blocks in the kernel and cannot be cancelled, so the calls run on a
/// thread of their own rather than on a Swift concurrency thread (the thread pool must stay free for HTTP
/// probes). A mount that has not answered within the bound is left out of this and later runs until its
/// call returns, so one dead NFS server costs one parked thread, not one per run.
final class DiskUsage: Sendable {
    /// Filesystems that hold no user data, or whose fullness means nothing (squashfs images are always full).
    /// `tmpfs` is left out too: it is memory, already counted by the memory metrics. `overlay` is kept: in a
    /// container it is the root filesystem, and it reports its backing disk.
    static let pseudoFilesystems: Set<String> = [
        "autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs", "devpts", "devtmpfs",
        "efivarfs", "fusectl", "hugetlbfs", "mqueue", "nsfs", "proc", "pstore", "ramfs", "rpc_pipefs",
        "securityfs", "selinuxfs", "squashfs", "sysfs", "tmpfs", "tracefs",
    ]

    /// Mount points whose `statvfs` has not returned yet.
    private let pending = Mutex<Set<String>>([])
    /// Paths to report; nil means every real filesystem in the mount table.
    let selectedPaths: [String]?
    let mountTablePath: String
    let bound: Duration

    init(selectedPaths: [String]?, mountTablePath: String = "/proc/self/mounts", bound: Duration = .milliseconds(500)) {
        self.selectedPaths = selectedPaths
        self.mountTablePath = mountTablePath
        self.bound = bound
    }

    /// The measurements of every selected mount that answered within the bound.
    func measure() async throws(CollectorError) -> [MetricSample] {
        let table = MountEntry.parseTable(try ProcFile.read(mountTablePath))
        let targets = Self.targets(selectedPaths: selectedPaths, table: table)
        let skipped = pending.withLock { $0 }
        let batch = StatBatch()
        let work = targets.filter { !skipped.contains($0.mountPoint) }
        let thread = Thread { [self] in
            for target in work {
                pending.withLock { _ = $0.insert(target.mountPoint) }
                let space = FilesystemSpace(path: target.mountPoint)
                pending.withLock { _ = $0.remove(target.mountPoint) }
                if let space { batch.add((target, space)) }
            }
            batch.finish()
        }
        thread.name = "vigil-statvfs"
        thread.start()
        let bound = self.bound
        let answered = await withTaskGroup(of: [(MountEntry, FilesystemSpace)]?.self) { group in
            group.addTask { await batch.wait() }
            group.addTask {
                // Cancellation of the run ends the wait as the bound does: with what has answered so far.
                try? await Task.sleep(for: bound)
                batch.expire()
                return nil
            }
            // The sleeper answers nil; the waiter answers once the thread is done or the bound has expired.
            var answered: [(MountEntry, FilesystemSpace)] = []
            while let next = await group.next() {
                guard let results = next else { continue }
                answered = results
                break
            }
            group.cancelAll()
            return answered
        }
        return answered.flatMap { Self.samples(for: $0.0, space: $0.1) }
    }

    /// Configured paths keep their own path as `mount` and take device and type from the mount holding them.
    static func targets(selectedPaths: [String]?, table: [MountEntry]) -> [MountEntry] {
        guard let selectedPaths else {
            var byMountPoint: [String: MountEntry] = [:]
            // A later line mounted over an earlier one at the same point hides it: keep the last.
            // A container host mounts an overlay per container; only the root one is this host's disk, and
            // the others would add series with every container started.
            for entry in table
            where !pseudoFilesystems.contains(entry.filesystemType)
                && !(entry.filesystemType == "overlay" && entry.mountPoint != "/")
            {
                byMountPoint[entry.mountPoint] = entry
            }
            return byMountPoint.values.sorted { $0.mountPoint < $1.mountPoint }
        }
        return selectedPaths.map { path in
            // The innermost mount holding the path; of mounts stacked at one point the last is the visible one.
            let holder = table.reversed().filter { Self.mountPoint($0.mountPoint, holds: path) }
                .max { $0.mountPoint.count < $1.mountPoint.count }
            return MountEntry(device: holder?.device ?? "", mountPoint: path, filesystemType: holder?.filesystemType ?? "")
        }
    }

    private static func mountPoint(_ mountPoint: String, holds path: String) -> Bool {
        path == mountPoint || mountPoint == "/" || path.hasPrefix(mountPoint + "/")
    }

    static func samples(for mount: MountEntry, space: FilesystemSpace) -> [MetricSample] {
        // A filesystem of zero blocks is a pseudo filesystem the list above does not know.
        guard space.totalBytes > 0 else { return [] }
        let labels = ["mount": mount.mountPoint, "device": mount.device, "fstype": mount.filesystemType]
        var samples: [MetricSample] = [
            .gauge("system_disk_total_bytes", Double(space.totalBytes), labels: labels),
            .gauge("system_disk_available_bytes", Double(space.availableBytes), labels: labels),
            .gauge("system_disk_used_ratio", space.usedRatio, labels: labels),
        ]
        // Some filesystems (btrfs, vfat) have no fixed inode table and report zero.
        if space.totalInodes > 0 {
            samples += [
                .gauge("system_inodes_total", Double(space.totalInodes), labels: labels),
                .gauge("system_inodes_free", Double(space.freeInodes), labels: labels),
                .gauge("system_inodes_used_ratio", space.inodesUsedRatio, labels: labels),
            ]
        }
        return samples
    }
}

/// One line of `/proc/self/mounts`.
struct MountEntry: Equatable, Sendable {
    var device: String
    var mountPoint: String
    var filesystemType: String

    /// Every well-formed line; the kernel writes spaces, tabs, newlines and backslashes in paths as octal escapes.
    static func parseTable(_ text: String) -> [MountEntry] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3 else { return nil }
            return MountEntry(device: unescape(fields[0]), mountPoint: unescape(fields[1]), filesystemType: String(fields[2]))
        }
    }

    static func unescape(_ field: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(field.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "\\"), utf8.count >= 3,
                let value = UInt8(String(decoding: utf8.prefix(3), as: UTF8.self), radix: 8)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// What `statvfs` says of one filesystem.
struct FilesystemSpace: Equatable, Sendable {
    var totalBytes: UInt64
    /// Free to unprivileged users, as `df` reports it: the root reserve is not available.
    var availableBytes: UInt64
    var freeBytes: UInt64
    var totalInodes: UInt64
    var freeInodes: UInt64

    /// Used over what users could have, as `df`'s Use% (so a disk is "full" when users can write nothing).
    var usedRatio: Double {
        let used = Double(totalBytes - min(freeBytes, totalBytes))
        let usable = used + Double(availableBytes)
        return usable == 0 ? 0 : used / usable
    }

    var inodesUsedRatio: Double {
        totalInodes == 0 ? 0 : Double(totalInodes - min(freeInodes, totalInodes)) / Double(totalInodes)
    }

    init(totalBytes: UInt64, availableBytes: UInt64, freeBytes: UInt64, totalInodes: UInt64, freeInodes: UInt64) {
        self.totalBytes = totalBytes
        self.availableBytes = availableBytes
        self.freeBytes = freeBytes
        self.totalInodes = totalInodes
        self.freeInodes = freeInodes
    }

    /// Nil when `statvfs` fails (the mount went away, or we may not look at it).
    init?(path: String) {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        // A FUSE daemon reports whatever it likes: sizes that do not fit 64 bits mean no usable answer.
        let fragment = UInt64(info.f_frsize)
        let total = UInt64(info.f_blocks).multipliedReportingOverflow(by: fragment)
        let available = UInt64(info.f_bavail).multipliedReportingOverflow(by: fragment)
        let free = UInt64(info.f_bfree).multipliedReportingOverflow(by: fragment)
        guard !total.overflow, !available.overflow, !free.overflow else { return nil }
        self.init(
            totalBytes: total.partialValue,
            availableBytes: available.partialValue,
            freeBytes: free.partialValue,
            totalInodes: UInt64(info.f_files),
            freeInodes: UInt64(info.f_ffree)
        )
    }
}

/// Results handed from the `statvfs` thread to the waiting task, which resumes exactly once: when the thread
/// is done or when the bound expires, whichever is first.
private final class StatBatch: Sendable {
    private struct State {
        var results: [(MountEntry, FilesystemSpace)] = []
        var isClosed = false
        var waiter: CheckedContinuation<[(MountEntry, FilesystemSpace)]?, Never>?
    }

    private let state = Mutex(State())

    func add(_ result: (MountEntry, FilesystemSpace)) {
        state.withLock { if !$0.isClosed { $0.results.append(result) } }
    }

    func finish() { close() }

    func expire() { close() }

    func wait() async -> [(MountEntry, FilesystemSpace)]? {
        await withCheckedContinuation { continuation in
            let ready: [(MountEntry, FilesystemSpace)]? = state.withLock {
                guard !$0.isClosed else { return $0.results }
                $0.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    private func close() {
        let (waiter, results) = state.withLock { state in
            state.isClosed = true
            defer { state.waiter = nil }
            return (state.waiter, state.results)
        }
        waiter?.resume(returning: results)
    }
}
