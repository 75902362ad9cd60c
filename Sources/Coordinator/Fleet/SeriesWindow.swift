import Foundation
import Shared

/// The recent points of one series, oldest first, in a ring buffer bounded both by count and by age.
///
/// Appending is O(1) (amortised while the buffer is still growing towards its capacity) and evicts points older
/// than `maxAge` before the newest one, or the oldest point when the buffer is full.
///
/// Memory per series is bounded by `capacity` points. A point is a `Date` and a `SampleValue`:
/// `MemoryLayout<Point>.stride` is 32 bytes on 64-bit platforms (8 for the date, 16 for the value's payload and 1
/// for its case, padded to 8-byte alignment). A gauge or counter point costs exactly that; a histogram point also
/// owns its array of cumulative counts on the heap, 32 bytes of header plus 8 per bucket (`+Inf` included).
/// With the defaults (600 points):
/// - gauge or counter: 600 × 32 B = 19,200 B ≈ 19 KiB per series;
/// - histogram with 11 finite buckets (12 counts): 600 × (32 + 32 + 12 × 8) B = 96,000 B ≈ 94 KiB per series.
/// Storage grows by doubling up to `capacity`, so a series reported every 10 s allocates 64 slots, not 600.
/// Counts shared with the latest value (copy-on-write) are not duplicated.
struct SeriesWindow: Sendable {
    /// One observation of the series at the time the agent collected it.
    struct Point: Hashable, Sendable {
        var time: Date
        var value: SampleValue
    }

    static let defaultCapacity = 600
    static let defaultMaxAge = Duration.seconds(600)

    /// The most points kept; at least 2, since a rate needs two.
    let capacity: Int
    /// Points older than the newest one by more than this are evicted.
    let maxAge: Duration

    /// Physical slots; `storage.count` grows by doubling up to `capacity`. Slots outside `start..<start+count`
    /// (modulo) hold stale values that the next appends overwrite.
    private var storage: [Point] = []
    private var start = 0
    private(set) var count = 0

    init(capacity: Int = Self.defaultCapacity, maxAge: Duration = Self.defaultMaxAge) {
        self.capacity = Swift.max(2, capacity)
        self.maxAge = maxAge
    }

    /// Appends a point and evicts what falls out of the window.
    ///
    /// - Returns: false, and changes nothing, when the point is not later than the newest one: rates need time to
    ///   move forward, so a report from a clock that stepped back is dropped rather than reordered.
    @discardableResult
    mutating func append(_ value: SampleValue, at time: Date) -> Bool {
        if let last, time <= last.time { return false }
        removePoints(before: time.addingTimeInterval(-maxAge.timeInterval))
        let point = Point(time: time, value: value)
        if count == capacity {
            storage[start] = point
            start = (start + 1) % storage.count
        } else if count < storage.count {
            storage[(start + count) % storage.count] = point
            count += 1
        } else {
            grow(appending: point)
        }
        return true
    }

    /// Evicts points collected before `cutoff`, so a series that stopped being reported ages out.
    mutating func removePoints(before cutoff: Date) {
        while count > 0, storage[start].time < cutoff {
            start = (start + 1) % storage.count
            count -= 1
        }
        if count == 0 { start = 0 }
    }

    /// Evicts points older than `maxAge` at `now`.
    mutating func removeExpired(now: Date) {
        removePoints(before: now.addingTimeInterval(-maxAge.timeInterval))
    }

    /// Slots allocated; at most `capacity`. Exposed for the memory bound's tests.
    var allocatedSlots: Int { storage.count }

    /// Linearises the points into a buffer twice as large (capped at `capacity`), padding with the new point.
    private mutating func grow(appending point: Point) {
        let size = Swift.min(capacity, Swift.max(4, storage.count * 2))
        var grown: [Point] = []
        grown.reserveCapacity(size)
        grown.append(contentsOf: self)
        grown.append(point)
        // Padding slots are overwritten before they are read; repeating the point keeps them free of heap.
        while grown.count < size { grown.append(point) }
        storage = grown
        start = 0
        count += 1
    }
}

extension SeriesWindow: RandomAccessCollection {
    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(position: Int) -> Point {
        precondition(position >= 0 && position < count, "SeriesWindow index out of range")
        return storage[(start + position) % storage.count]
    }

    /// The points collected within `[now - duration, now]`, oldest first.
    ///
    /// Points are in time order, so both ends are found by binary search: every rule reads its windows at every
    /// evaluation, and a scan from the oldest point would cost the whole window each time.
    func points(within duration: Duration, now: Date) -> Slice<SeriesWindow> {
        let cutoff = now.addingTimeInterval(-duration.timeInterval)
        let lower = partitionIndex { $0.time >= cutoff }
        let upper = partitionIndex { $0.time > now }
        return self[lower..<Swift.max(lower, upper)]
    }

    /// The first index whose point satisfies `predicate`, which must be false then true along the window;
    /// `endIndex` when no point does.
    private func partitionIndex(where predicate: (Point) -> Bool) -> Int {
        var low = startIndex
        var high = endIndex
        while low < high {
            let middle = (low + high) / 2
            if predicate(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
