/// The growth of a process's resident memory over a sliding window: the least-squares slope of RSS over time.
///
/// This is the playbook's "gradually increasing memory usage": a leak shows as a steady positive slope long
/// before the memory runs out. The slope is given only once the points are enough (three) and span at least a
/// quarter of the window, so two noisy readings a second apart are not read as a trend.
struct RSSTrend: Sendable {
    let window: Duration
    private var points: [(seconds: Double, bytes: Double)] = []

    init(window: Duration) { self.window = window }

    /// Adds a reading taken `seconds` after some fixed origin and forgets those older than the window.
    mutating func add(bytes: UInt64, atSeconds seconds: Double) {
        points.append((seconds, Double(bytes)))
        let windowSeconds = Self.seconds(window)
        points.removeAll { seconds - $0.seconds > windowSeconds }
    }

    /// Forgets every reading, as when the watched process is gone.
    mutating func reset() { points.removeAll() }

    /// Bytes per second; nil while the points are too few or too close together.
    var slope: Double? {
        guard points.count >= 3, let first = points.first, let last = points.last,
            last.seconds - first.seconds >= Self.seconds(window) / 4
        else { return nil }
        let count = Double(points.count)
        let meanTime = points.reduce(0) { $0 + $1.seconds } / count
        let meanBytes = points.reduce(0) { $0 + $1.bytes } / count
        var covariance = 0.0
        var variance = 0.0
        for point in points {
            covariance += (point.seconds - meanTime) * (point.bytes - meanBytes)
            variance += (point.seconds - meanTime) * (point.seconds - meanTime)
        }
        return variance > 0 ? covariance / variance : nil
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
