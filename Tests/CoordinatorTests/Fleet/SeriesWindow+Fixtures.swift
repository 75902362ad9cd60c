import Foundation
import Shared

@testable import Coordinator

/// Windows built from points given as seconds after a fixed epoch, for the fleet aggregation tests.
extension SeriesWindow {
    static let epoch = Date(timeIntervalSince1970: 1_796_000_000)

    static func at(_ seconds: Double) -> Date { epoch.addingTimeInterval(seconds) }

    /// A counter or gauge window from `(seconds, value)` points.
    static func numbers(_ points: [(Double, Double)]) -> SeriesWindow {
        var window = SeriesWindow()
        for (seconds, value) in points { window.append(.number(value), at: at(seconds)) }
        return window
    }

    /// A histogram window from `(seconds, cumulative counts)` points; each sum is the count, for simplicity.
    static func histograms(_ points: [(Double, [UInt64])]) -> SeriesWindow {
        var window = SeriesWindow()
        for (seconds, counts) in points {
            let value = HistogramValue(cumulativeCounts: counts, sum: Double(counts.last ?? 0))
            window.append(.histogram(value), at: at(seconds))
        }
        return window
    }
}
