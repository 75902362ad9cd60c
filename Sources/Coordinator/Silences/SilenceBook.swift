import Foundation
import Logging
import Shared

/// The coordinator's silences in memory, loaded from the store at start, so remediation's checks every second
/// never touch the disk. Changes are written to the store before they count.
actor SilenceBook {
    private let store: any SilenceStore
    /// Silences not removed and not yet ended, by id; ended ones are dropped as they are noticed.
    private var current: [SilenceID: Silence]
    private let logger: Logger

    /// - Parameter silences: what the store holds as current at start (`currentSilences(at:)`).
    init(store: any SilenceStore, silences: [Silence], logger: Logger) {
        self.store = store
        current = Dictionary(silences.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var logger = logger
        logger[metadataKey: MetadataKeys.component] = "silences"
        self.logger = logger
    }

    /// Checks and stores a new silence.
    func add(_ draft: SilenceDraft, now: Date) async throws(SilenceError) -> Silence {
        guard draft.node != nil || draft.service != nil || draft.kind != nil else {
            throw .invalid("a silence needs at least one of node, service or kind")
        }
        guard draft.endsAt > draft.startsAt else { throw .invalid("a silence must end after it starts") }
        guard draft.endsAt > now else { throw .invalid("a silence must end in the future") }
        let reason = draft.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= Silence.maximumReasonLength else {
            throw .invalid("a silence needs a reason of 1 to \(Silence.maximumReasonLength) characters")
        }
        let silence = Silence(
            id: SilenceID.make(),
            node: draft.node,
            service: draft.service,
            kind: draft.kind,
            startsAt: draft.startsAt,
            endsAt: draft.endsAt,
            createdBy: draft.createdBy,
            reason: reason,
            createdAt: now,
            incidentID: draft.incidentID
        )
        do {
            try await store.save(silence)
        } catch {
            throw .unavailable("\(error)")
        }
        current[silence.id] = silence
        logger.info(
            "silence added",
            metadata: [
                "silence.id": "\(silence.id)", "silence.matchers": "\(silence.matcherText)", "by": "\(draft.createdBy)",
            ]
        )
        return silence
    }

    /// Expires a silence early; remediation it held carries on at its next tick.
    func remove(_ id: SilenceID, by person: String, now: Date) async throws(SilenceError) -> Silence {
        let removed: Silence?
        do {
            removed = try await store.removeSilence(id, by: person, at: now)
        } catch {
            throw .unavailable("\(error)")
        }
        guard let removed else { throw .unknownSilence(id) }
        current[id] = nil
        logger.info("silence removed", metadata: ["silence.id": "\(id)", "by": "\(person)"])
        return removed
    }

    /// Active and scheduled silences, earliest start first; with `includingEnded`, every silence from the store,
    /// newest first.
    func silences(includingEnded: Bool, now: Date) async throws(SilenceError) -> [Silence] {
        guard includingEnded else {
            return current.values.filter { $0.isCurrent(at: now) }.sorted {
                ($0.startsAt, $0.id) < ($1.startsAt, $1.id)
            }
        }
        do {
            return try await store.allSilences()
        } catch {
            throw .unavailable("\(error)")
        }
    }

    /// The silences holding remediation at `now`, from memory.
    func activeSilences(at now: Date) -> [Silence] {
        current = current.filter { $0.value.isCurrent(at: now) || Self.awaitsExpiryNote($0.value, at: now) }
        return current.values.filter { $0.isActive(at: now) }.sorted { $0.id < $1.id }
    }

    /// Silences bound to an incident that ran out by `now` without anyone being told yet.
    func expiredBoundSilences(at now: Date) -> [Silence] {
        current.values.filter { Self.awaitsExpiryNote($0, at: now) }.sorted { $0.id < $1.id }
    }

    /// Records that the responder was told the silence expired; it is then forgotten like any ended silence.
    func noteExpiry(of id: SilenceID, at now: Date) async throws(SilenceError) {
        guard var silence = current[id] else { return }
        silence.expiryNotedAt = now
        do {
            try await store.save(silence)
        } catch {
            throw .unavailable("\(error)")
        }
        current[id] = nil
    }

    /// Forgets a silence the store already says ended or was noted (escalation writes those with its own
    /// progress, in one transaction).
    func forget(_ id: SilenceID) {
        current[id] = nil
    }

    /// The current silences bound to `incident`, which end when it resolves.
    func boundSilences(of incident: IncidentID) -> [Silence] {
        current.values.filter { $0.incidentID == incident && $0.removedAt == nil }.sorted { $0.id < $1.id }
    }

    private static func awaitsExpiryNote(_ silence: Silence, at now: Date) -> Bool {
        silence.incidentID != nil && silence.removedAt == nil && silence.expiryNotedAt == nil && silence.endsAt <= now
    }
}
