import Synchronization

/// Passes each finished command on to every observer added so far. It lets the dispatcher be built before
/// remediation, which needs the dispatcher to send its commands and is itself an observer.
final class CommandResultRelay: CommandResultObserver {
    private let observers = Mutex<[any CommandResultObserver]>([])

    init() {}

    func add(_ observer: any CommandResultObserver) {
        observers.withLock { $0.append(observer) }
    }

    func commandFinished(_ command: RemediationCommand) async {
        for observer in observers.withLock({ $0 }) {
            await observer.commandFinished(command)
        }
    }
}
