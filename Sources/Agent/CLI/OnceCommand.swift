import ArgumentParser
import Foundation
import Shared

/// `vigil-agent once`: run every collector once, print what they found, exit.
struct OnceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "once",
        abstract: "Collect once, print the measurements and exit (to check a host or a config)."
    )

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "Output format: table or json.")
    var output: OutputFormat = .table

    @Option(name: .long, help: "Collect this many times and print the last (to measure what a cycle costs).")
    var cycles = 1

    func validate() throws {
        guard (1...100_000).contains(cycles) else { throw ValidationError("--cycles must be from 1 to 100000") }
    }

    func run() async throws {
        let configuration = try options.resolve()
        var results = await CollectorRunner.runOnce(configuration.collectors)
        for _ in 1..<cycles { results = await CollectorRunner.runOnce(configuration.collectors) }
        var standardOutput = StandardOutput()
        let report = OnceReport(configuration: configuration, results: results, collectedAt: Date())
        try report.write(as: output, to: &standardOutput)
        let failures = report.collectors.filter { !$0.up }
        if !failures.isEmpty {
            throw OnceError.collectorsFailed(failures.map { "\($0.name): \($0.error ?? "failed")" })
        }
    }
}

enum OnceError: Error, CustomStringConvertible {
    case collectorsFailed([String])

    var description: String {
        switch self {
        case .collectorsFailed(let failures): "collectors failed: \(failures.joined(separator: "; "))"
        }
    }
}

/// What `once` prints: the node, each collector's health and every measurement.
struct OnceReport: Encodable {
    struct CollectorStatus: Encodable {
        var name: String
        var up: Bool
        var error: String?
    }

    struct MetricLine: Encodable {
        var name: String
        var labels: [String: String]
        var kind: SeriesKind
        var value: Double?
        var histogram: HistogramValue?
        var bucketUpperBounds: [Double]?
    }

    var nodeID: NodeID
    var coordinator: String
    var labels: [String: String]
    var collectedAt: Date
    var collectors: [CollectorStatus]
    var measurements: [MetricLine]
    var probes: [ProbeResult]

    init(configuration: AgentConfiguration, results: [String: Result<CollectorOutput, any Error>], collectedAt: Date) {
        nodeID = configuration.nodeID
        coordinator = configuration.coordinator.description
        labels = configuration.labels
        self.collectedAt = collectedAt
        var all: [MetricSample] = []
        var probes: [ProbeResult] = []
        var collectors: [CollectorStatus] = []
        for (name, result) in results.sorted(by: { $0.key < $1.key }) {
            switch result {
            case .success(let output):
                all += output.measurements
                probes += output.probes
                collectors.append(CollectorStatus(name: name, up: true, error: nil))
            case .failure(let error):
                collectors.append(CollectorStatus(name: name, up: false, error: "\(error)"))
            }
        }
        self.collectors = collectors
        self.probes = probes.sorted { $0.name < $1.name }
        measurements = all.sorted { $0.series.displayName < $1.series.displayName }.map { measurement in
            var line = MetricLine(
                name: measurement.series.name,
                labels: measurement.series.labels,
                kind: measurement.series.kind
            )
            switch measurement.value {
            case .number(let number): line.value = number
            case .histogram(let histogram):
                line.histogram = histogram
                line.bucketUpperBounds = measurement.series.bucketUpperBounds
            }
            return line
        }
    }

    func write(as format: OutputFormat, to output: inout some TextOutputStream) throws {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.dateEncodingStrategy = .iso8601
            output.write(String(decoding: try encoder.encode(self), as: UTF8.self) + "\n")
        case .table:
            output.write("node \(nodeID)  coordinator \(coordinator)  collected \(collectedAt.ISO8601Format())\n")
            for collector in collectors {
                output.write("collector \(collector.name): \(collector.up ? "up" : "DOWN \(collector.error ?? "")")\n")
            }
            for probe in probes {
                let state = probe.isUp ? "up" : "DOWN \(probe.error)"
                output.write("probe \(probe.name): \(state) status=\(probe.statusCode) \(Self.format(probe.durationSeconds))s\n")
            }
            let width = measurements.map { Self.seriesName($0).count }.max() ?? 0
            for line in measurements {
                let name = Self.seriesName(line)
                let value = line.value.map { Self.format($0) } ?? "histogram count=\(line.histogram?.count ?? 0)"
                output.write(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value + "\n")
            }
        }
    }

    private static func seriesName(_ line: MetricLine) -> String {
        SeriesDescriptor(name: line.name, labels: line.labels, kind: line.kind).displayName
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.4f", value)
    }
}
