import Foundation
import Shared
import Testing

@testable import Coordinator

@Suite struct CounterWindowTests {
    /// Counter totals at given seconds, read over `windowSeconds` ending at `nowSeconds`.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var points: [Point]
        var windowSeconds: Int64 = 600
        var nowSeconds: Double
        var increase: Double?
        var rate: Double?
        var testDescription: String { name }

        struct Point: Sendable {
            var seconds: Double
            var value: Double
        }
    }

    private static func points(_ pairs: [(Double, Double)]) -> [Case.Point] {
        pairs.map { Case.Point(seconds: $0.0, value: $0.1) }
    }

    @Test(arguments: [
        Case(
            name: "steady growth",
            points: points([(0, 100), (10, 110), (20, 130)]),
            nowSeconds: 20,
            increase: 30,
            rate: 1.5
        ),
        Case(name: "flat", points: points([(0, 7), (30, 7)]), nowSeconds: 30, increase: 0, rate: 0),
        // 100 → 110 is +10; 110 → 5 is a restart, +5; 5 → 15 is +10.
        Case(
            name: "reset",
            points: points([(0, 100), (10, 110), (20, 5), (30, 15)]),
            nowSeconds: 30,
            increase: 25,
            rate: 25.0 / 30
        ),
        Case(
            name: "reset to zero",
            points: points([(0, 50), (10, 0), (20, 20)]),
            nowSeconds: 20,
            increase: 20,
            rate: 1
        ),
        Case(
            name: "two resets",
            points: points([(0, 9), (10, 3), (20, 1), (30, 4)]),
            nowSeconds: 30,
            increase: 7,
            rate: 7.0 / 30
        ),
        Case(
            name: "only the points in range",
            points: points([(0, 0), (10, 100), (20, 110), (30, 120)]),
            windowSeconds: 15,
            nowSeconds: 30,
            increase: 10,
            rate: 1
        ),
        Case(
            name: "NaN skipped",
            points: points([(0, 10), (10, .nan), (20, 30)]),
            nowSeconds: 20,
            increase: 20,
            rate: 1
        ),
        Case(name: "one point in range", points: points([(0, 1), (100, 5)]), windowSeconds: 50, nowSeconds: 100),
        Case(name: "no point", points: [], nowSeconds: 100),
    ])
    func increaseAndRateCountRestartsLikePrometheus(_ testCase: Case) {
        let window = SeriesWindow.numbers(testCase.points.map { ($0.seconds, $0.value) })
        let now = SeriesWindow.at(testCase.nowSeconds)
        let duration = Duration.seconds(testCase.windowSeconds)
        #expect(window.increase(over: duration, now: now) == testCase.increase)
        #expect(window.rate(over: duration, now: now) == testCase.rate)
    }

    @Test func histogramPointsAreNotReadAsACounter() {
        let window = SeriesWindow.histograms([(0, [1, 2]), (10, [2, 4])])
        #expect(window.rate(over: .seconds(600), now: SeriesWindow.at(10)) == nil)
    }
}
