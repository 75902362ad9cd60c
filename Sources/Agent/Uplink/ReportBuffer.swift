import Shared

/// Reports not yet acknowledged by the coordinator, oldest first, bounded by count and by bytes.
///
/// When full, the oldest report is dropped and counted: the newest facts matter most to someone on call, and
/// the drop count travels in every report so the coordinator can say that data is missing.
actor ReportBuffer {
    struct Limits: Sendable, Equatable {
        var maximumReports: Int
        var maximumBytes: Int
    }

    private struct Entry {
        var report: Report
        var encodedBytes: Int
    }

    let limits: Limits
    private var entries: [Entry] = []
    private var bufferedBytes = 0
    private var nextSeq: UInt64 = 1
    private(set) var acknowledgedThrough: UInt64 = 0
    private(set) var droppedReports: UInt64 = 0
    /// False until the first `Welcome`, whose last received seq this process's numbering must continue.
    private var isAlignedWithCoordinator = false
    private var listener: AsyncStream<UplinkEvent>.Continuation?

    init(limits: Limits) {
        self.limits = limits
    }

    /// Numbers `report` and keeps it until acknowledged, dropping the oldest to stay within the limits.
    @discardableResult
    func append(_ report: Report) -> UInt64 {
        var report = report
        report.seq = nextSeq
        nextSeq += 1
        let size = Self.encodedSize(of: report)
        entries.append(Entry(report: report, encodedBytes: size))
        bufferedBytes += size
        while entries.count > limits.maximumReports || (bufferedBytes > limits.maximumBytes && entries.count > 1) {
            bufferedBytes -= entries.removeFirst().encodedBytes
            droppedReports += 1
        }
        listener?.yield(.reportsAvailable)
        return report.seq
    }

    /// Forgets every report up to and including `seq`.
    func acknowledge(through seq: UInt64) {
        guard seq > acknowledgedThrough else { return }
        acknowledgedThrough = seq
        let acknowledged = entries.prefix { $0.report.seq <= seq }
        bufferedBytes -= acknowledged.reduce(0) { $0 + $1.encodedBytes }
        entries.removeFirst(acknowledged.count)
    }

    /// Reconciles numbering with the coordinator's last received seq after a `Welcome`.
    ///
    /// On the first session of this process, reports are renumbered above it, so an agent that restarted
    /// never reuses a seq the coordinator already counted. Later sessions treat it as an acknowledgement.
    func reconcile(withCoordinatorLastSeq lastReceived: UInt64) {
        guard isAlignedWithCoordinator else {
            isAlignedWithCoordinator = true
            let first = entries.first?.report.seq ?? nextSeq
            guard first <= lastReceived else { return }
            var seq = lastReceived
            for index in entries.indices {
                seq += 1
                entries[index].report.seq = seq
            }
            nextSeq = seq + 1
            acknowledgedThrough = lastReceived
            return
        }
        acknowledge(through: lastReceived)
    }

    /// Buffered reports with a seq above `seq`, oldest first.
    func reports(after seq: UInt64) -> [Report] {
        entries.lazy.filter { $0.report.seq > seq }.map(\.report)
    }

    var statistics: (reports: Int, bytes: Int, dropped: UInt64) { (entries.count, bufferedBytes, droppedReports) }

    /// Directs "reports available" signals to the current connection; nil when there is none.
    func setListener(_ continuation: AsyncStream<UplinkEvent>.Continuation?) {
        listener = continuation
        if !entries.isEmpty { continuation?.yield(.reportsAvailable) }
    }

    private static func encodedSize(of report: Report) -> Int {
        (try? WireMessage.report(report).serializedBytes().count).map { $0 + FrameDecoder.headerLength } ?? 0
    }
}
