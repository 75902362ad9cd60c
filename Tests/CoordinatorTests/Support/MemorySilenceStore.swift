import Foundation
import Synchronization

@testable import Coordinator

/// Keeps silences in memory, for logic tests that need a `SilenceBook` but not its disk.
final class MemorySilenceStore: SilenceStore {
    private let silences = Mutex<[SilenceID: Silence]>([:])

    func save(_ silence: Silence) async throws {
        silences.withLock { $0[silence.id] = silence }
    }

    func currentSilences(at now: Date) async throws -> [Silence] {
        silences.withLock { $0.values.filter { $0.isCurrent(at: now) }.sorted { $0.startsAt < $1.startsAt } }
    }

    func allSilences() async throws -> [Silence] {
        silences.withLock { $0.values.sorted { $0.createdAt > $1.createdAt } }
    }

    func removeSilence(_ id: SilenceID, by person: String, at time: Date) async throws -> Silence? {
        silences.withLock { silences in
            guard var silence = silences[id] else { return nil }
            if silence.removedAt == nil {
                silence.removedAt = time
                silence.removedBy = person
                silences[id] = silence
            }
            return silence
        }
    }
}
