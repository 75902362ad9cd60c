/// What running an action produced: whether it did its job, a process's exit code, the end of its output,
/// and one line saying what happened.
struct ActionOutcome: Sendable, Equatable {
    /// The most output a result carries: the end of it, where the reason for a failure usually is.
    static let maximumTailBytes = 4_096

    var isSuccess: Bool
    var exitCode: Int32
    var outputTail: String
    var detail: String

    init(isSuccess: Bool, exitCode: Int32 = 0, outputTail: String = "", detail: String) {
        self.isSuccess = isSuccess
        self.exitCode = exitCode
        self.outputTail = OutputTail.text(ofLast: Self.maximumTailBytes, in: Array(outputTail.utf8))
        self.detail = detail
    }
}
