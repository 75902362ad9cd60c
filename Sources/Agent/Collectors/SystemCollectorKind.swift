import Yams

/// `collectors.system`: memory, CPU, load and disks; always on, with these settings when the section is absent.
///
/// `mounts` lists the paths whose filesystems to measure; without it every real filesystem in the mount table
/// is measured (pseudo filesystems and `tmpfs` are left out: see `DiskUsage.pseudoFilesystems`).
enum SystemCollectorKind: CollectorKind {
    static let section = "system"
    static let defaultTiming = CollectorTiming(interval: .seconds(1), timeout: .seconds(1))

    private struct Settings: Decodable {
        var interval_seconds: Double?
        var timeout_seconds: Double?
        var mounts: [String]?
    }

    static func makeCollectors(from node: Node, source: String) throws(ConfigurationError) -> [any Collector] {
        let settings = try ConfigurationNode.decode(
            Settings.self,
            from: node,
            allowed: ["": ["interval_seconds", "timeout_seconds", "mounts"]],
            path: "collectors.system",
            source: source
        )
        let timing = try CollectorTiming(
            intervalSeconds: settings.interval_seconds,
            timeoutSeconds: settings.timeout_seconds,
            defaults: defaultTiming,
            path: "collectors.system",
            source: source
        )
        if let mounts = settings.mounts {
            for (index, path) in mounts.enumerated() where !path.hasPrefix("/") {
                throw .invalid(source: source, detail: "collectors.system.mounts[\(index)] \"\(path)\" must be an absolute path")
            }
        }
        return [SystemCollector(timing: timing, mounts: settings.mounts)]
    }

    static func makeDefaultCollectors() -> [any Collector] {
        [SystemCollector(timing: defaultTiming)]
    }
}
