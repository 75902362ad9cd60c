import Foundation

/// Writes a signal's value the way an operator reads it: ratios as percentages, times in ms or s, rates of
/// bytes in KiB/s or MiB/s.
enum SignalFormat {
    static func format(_ value: Double, for signal: Signal) -> String {
        guard value.isFinite else { return String(value) }
        switch signal.aggregation {
        case .ratio, .downFraction:
            return percent(value)
        case .silence:
            return seconds(value)
        case .rate:
            return plain(value) + "/s"
        case .min, .max, .mean, .increase, .quantile:
            let name = signal.selector.name
            if name.hasSuffix("_ratio") { return percent(value) }
            if name.hasSuffix("_seconds") { return seconds(value) }
            if name.hasSuffix("_bytes_per_second") { return bytes(value) + "/s" }
            if name.hasSuffix("_bytes") { return bytes(value) }
            return plain(value)
        }
    }

    static func percent(_ ratio: Double) -> String {
        let value = ratio * 100
        return value >= 10 || value == value.rounded()
            ? String(format: "%.0f%%", value) : String(format: "%.1f%%", value)
    }

    static func seconds(_ value: Double) -> String {
        switch abs(value) {
        case ..<1: String(format: "%.0f ms", value * 1000)
        case ..<10: String(format: "%.2f s", value)
        default: String(format: "%.0f s", value)
        }
    }

    static func bytes(_ value: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var scaled = value
        var unit = 0
        while abs(scaled) >= 1024, unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        return unit == 0 ? String(format: "%.0f B", scaled) : String(format: "%.1f ", scaled) + units[unit]
    }

    static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.3g", value)
    }
}
