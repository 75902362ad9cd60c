import Foundation
import Shared
import Testing

@testable import Agent

@Suite struct ReportBufferTests {
    private func report(samples: Int = 1) -> Report {
        Report(
            seq: 0,
            collectedAt: Date(timeIntervalSince1970: 1_796_000_000),
            samples: (1...samples).map { Sample(seriesID: SeriesID(UInt32($0)), value: .number(Double($0))) }
        )
    }

    @Test func numbersReportsFromOne() async {
        let buffer = ReportBuffer(limits: .init(maximumReports: 10, maximumBytes: 1 << 20))
        #expect(await buffer.append(report()) == 1)
        #expect(await buffer.append(report()) == 2)
        #expect(await buffer.reports(after: 0).map(\.seq) == [1, 2])
    }

    @Test func dropsTheOldestFirstWhenTheCountLimitIsReachedAndCountsTheDrops() async {
        let buffer = ReportBuffer(limits: .init(maximumReports: 3, maximumBytes: 1 << 20))
        for _ in 1...5 { await buffer.append(report()) }
        #expect(await buffer.reports(after: 0).map(\.seq) == [3, 4, 5])
        #expect(await buffer.droppedReports == 2)
    }

    @Test func dropsTheOldestFirstWhenTheByteLimitIsReached() async {
        let buffer = ReportBuffer(limits: .init(maximumReports: 1_000, maximumBytes: 1_000))
        for _ in 1...20 { await buffer.append(report(samples: 20)) }
        let (count, bytes, dropped) = await buffer.statistics
        #expect(bytes <= 1_000)
        #expect(count > 0)
        #expect(dropped == UInt64(20 - count))
        #expect(await buffer.reports(after: 0).last?.seq == 20, "the newest report is always kept")
    }

    @Test func acknowledgementForgetsReportsUpToAndIncludingItsSeq() async {
        let buffer = ReportBuffer(limits: .init(maximumReports: 10, maximumBytes: 1 << 20))
        for _ in 1...4 { await buffer.append(report()) }
        await buffer.acknowledge(through: 2)
        #expect(await buffer.reports(after: 0).map(\.seq) == [3, 4])
        await buffer.acknowledge(through: 1)
        #expect(await buffer.acknowledgedThrough == 2, "an older ack never moves the mark back")
    }

    @Test func firstWelcomeOfARestartedAgentRenumbersAboveTheCoordinatorsLastSeq() async {
        let buffer = ReportBuffer(limits: .init(maximumReports: 10, maximumBytes: 1 << 20))
        for _ in 1...3 { await buffer.append(report()) }
        await buffer.reconcile(withCoordinatorLastSeq: 5_000)
        #expect(await buffer.reports(after: 0).map(\.seq) == [5_001, 5_002, 5_003])
        #expect(await buffer.append(report()) == 5_004)
        #expect(await buffer.acknowledgedThrough == 5_000)
    }

    @Test func laterWelcomesCountAsAcknowledgementsAndNeverRenumber() async {
        let buffer = ReportBuffer(limits: .init(maximumReports: 10, maximumBytes: 1 << 20))
        await buffer.reconcile(withCoordinatorLastSeq: 0)
        for _ in 1...5 { await buffer.append(report()) }
        // The coordinator received 1...3 but its acks were lost with the connection.
        await buffer.reconcile(withCoordinatorLastSeq: 3)
        #expect(await buffer.reports(after: 0).map(\.seq) == [4, 5])
    }

    @Test func firstWelcomeFromACoordinatorThatKnowsLessKeepsTheNumbering() async {
        let buffer = ReportBuffer(limits: .init(maximumReports: 10, maximumBytes: 1 << 20))
        for _ in 1...3 { await buffer.append(report()) }
        await buffer.reconcile(withCoordinatorLastSeq: 0)
        #expect(await buffer.reports(after: 0).map(\.seq) == [1, 2, 3])
    }

    @Test func signalsTheListenerWhenReportsArrive() async {
        let buffer = ReportBuffer(limits: .init(maximumReports: 10, maximumBytes: 1 << 20))
        let (events, continuation) = AsyncStream<UplinkEvent>.makeStream(bufferingPolicy: .bufferingNewest(8))
        await buffer.setListener(continuation)
        await buffer.append(report())
        continuation.finish()
        var signals = 0
        for await event in events {
            if case .reportsAvailable = event { signals += 1 }
        }
        #expect(signals == 1)
    }
}
