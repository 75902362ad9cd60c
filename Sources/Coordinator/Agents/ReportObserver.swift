import Foundation
import Shared

/// Whoever wants to know, after a report is in the fleet state and acknowledged, which series it carried:
/// detection evaluates the rules that read them.
protocol ReportObserver: Sendable {
    func reportAccepted(from node: NodeID, seriesNames: Set<String>, receivedAt: Date) async
}
