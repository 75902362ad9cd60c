import Foundation

/// Commands' lines on incident timelines go through the journal, after the incident changes before them.
extension DetectionEngine: IncidentTimeline {
    func incidentExists(_ id: IncidentID) async throws -> Bool {
        // Once everything appended so far is committed, an incident opened in memory has its row on disk.
        try await journal.waitUntilAllCommitted()
        if book.open[id] != nil { return true }
        return try await store.incident(id) != nil
    }

    func record(_ id: IncidentID, kind: TimelineEvent.Kind, actor: String, message: String) async {
        let event = TimelineEvent(incidentID: id, time: Date(), kind: kind, actor: actor, message: message)
        journal.append([.appendEvent(event)])
    }
}
