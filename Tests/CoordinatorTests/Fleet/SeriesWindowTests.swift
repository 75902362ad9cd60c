import Foundation
import Shared
import Testing

@testable import Coordinator

@Suite struct SeriesWindowTests {
    /// A sequence of appends every `interval` seconds and what the window holds afterwards.
    struct EvictionCase: Sendable, CustomTestStringConvertible {
        var capacity: Int
        var maxAgeSeconds: Int64
        var interval: Double
        var appends: Int
        var expectedFirstSeconds: Double
        var expectedCount: Int
        var testDescription: String { "capacity \(capacity), max age \(maxAgeSeconds) s, \(appends) × \(interval) s" }
    }

    @Test(arguments: [
        // By age: 13 points 10 s apart (0…120), a minute kept: 60…120.
        EvictionCase(
            capacity: 600,
            maxAgeSeconds: 60,
            interval: 10,
            appends: 13,
            expectedFirstSeconds: 60,
            expectedCount: 7
        ),
        // By count: 8 points, room for 5: the 3 oldest go.
        EvictionCase(
            capacity: 5,
            maxAgeSeconds: 600,
            interval: 1,
            appends: 8,
            expectedFirstSeconds: 3,
            expectedCount: 5
        ),
        // Count wins when both apply.
        EvictionCase(
            capacity: 3,
            maxAgeSeconds: 60,
            interval: 10,
            appends: 13,
            expectedFirstSeconds: 100,
            expectedCount: 3
        ),
        // Age wins when both apply.
        EvictionCase(
            capacity: 50,
            maxAgeSeconds: 20,
            interval: 1,
            appends: 100,
            expectedFirstSeconds: 79,
            expectedCount: 21
        ),
        // Nothing to evict.
        EvictionCase(
            capacity: 600,
            maxAgeSeconds: 600,
            interval: 10,
            appends: 4,
            expectedFirstSeconds: 0,
            expectedCount: 4
        ),
    ])
    func evictsTheOldestPointsByAgeAndByCount(_ testCase: EvictionCase) throws {
        var window = SeriesWindow(capacity: testCase.capacity, maxAge: .seconds(testCase.maxAgeSeconds))
        for index in 0..<testCase.appends {
            let seconds = Double(index) * testCase.interval
            let appended = window.append(.number(seconds), at: SeriesWindow.at(seconds))
            #expect(appended)
        }
        #expect(window.count == testCase.expectedCount)
        let first = try #require(window.first)
        #expect(first.time == SeriesWindow.at(testCase.expectedFirstSeconds))
        #expect(window.map(\.value) == window.map { .number($0.time.timeIntervalSince(SeriesWindow.epoch)) })
        #expect(zip(window, window.dropFirst()).allSatisfy { $0.time < $1.time }, "oldest first")
    }

    @Test func refusesPointsThatAreNotLaterThanTheNewest() {
        var window = SeriesWindow()
        let results = [
            window.append(.number(1), at: SeriesWindow.at(10)),
            window.append(.number(2), at: SeriesWindow.at(10)),
            window.append(.number(3), at: SeriesWindow.at(5)),
        ]
        #expect(results == [true, false, false])
        #expect(window.map(\.value) == [.number(1)])
    }

    @Test func aSeriesThatStopsBeingReportedAgesOut() {
        var window = SeriesWindow.numbers([(0, 1), (10, 2), (20, 3)])
        window.removeExpired(now: SeriesWindow.at(615))
        #expect(window.map(\.value) == [.number(3)])
        window.removeExpired(now: SeriesWindow.at(700))
        #expect(window.isEmpty)
        window.append(.number(4), at: SeriesWindow.at(701))
        #expect(window.map(\.value) == [.number(4)])
    }

    /// Irregular gaps make the ring evict, wrap and grow in every order; a plain array is the reference.
    @Test func matchesAPlainArrayThroughWrapsAndGrowth() {
        var window = SeriesWindow(capacity: 40, maxAge: .seconds(30))
        var reference: [SeriesWindow.Point] = []
        var seconds = 0.0
        for step in 0..<2_000 {
            seconds += [0.25, 1, 3, 0.5, 7, 2][step % 6] * (step % 97 < 50 ? 1 : 0.3)
            let point = SeriesWindow.Point(time: SeriesWindow.at(seconds), value: .number(Double(step)))
            window.append(point.value, at: point.time)
            reference.append(point)
            reference.removeAll { $0.time < point.time.addingTimeInterval(-30) }
            if reference.count > 40 { reference.removeFirst(reference.count - 40) }
            if Array(window) != reference { break }
        }
        #expect(Array(window) == reference)
    }

    @Test func memoryPerSeriesIsBoundedByTheCapacity() {
        #expect(MemoryLayout<SeriesWindow.Point>.stride == 32, "the figure in SeriesWindow's documentation")
        var window = SeriesWindow()
        for second in 0..<10_000 {
            window.append(.number(Double(second)), at: SeriesWindow.at(Double(second) * 0.5))
        }
        #expect(window.count == SeriesWindow.defaultCapacity)
        #expect(window.allocatedSlots == SeriesWindow.defaultCapacity)
        #expect(window.allocatedSlots * MemoryLayout<SeriesWindow.Point>.stride == 19_200)
    }

    @Test func aSeriesReportedEvery10SecondsAllocatesOnlyWhatItHolds() {
        var window = SeriesWindow()
        for tick in 0..<1_000 {
            window.append(.number(Double(tick)), at: SeriesWindow.at(Double(tick) * 10))
        }
        #expect(window.count == 61, "10 minutes at 10 s, both ends included")
        #expect(window.allocatedSlots == 64)
    }

    @Test func pointsWithinARangeIncludeBothEnds() {
        let window = SeriesWindow.numbers([(0, 0), (10, 1), (20, 2), (30, 3)])
        let range = window.points(within: .seconds(20), now: SeriesWindow.at(30))
        #expect(range.map(\.value) == [.number(1), .number(2), .number(3)])
        let past = window.points(within: .seconds(10), now: SeriesWindow.at(15))
        #expect(past.map(\.value) == [.number(1)], "points after now are left out")
        #expect(window.points(within: .seconds(5), now: SeriesWindow.at(100)).isEmpty)
    }
}
