extension ActionOutcome {
    /// The outcome of a program run by an action: it succeeded when it exited 0 within its time limit.
    init(_ completion: CommandLineRunner.Completion, running what: String, timeout: Duration) {
        let detail: String
        if completion.isTimedOut {
            detail = "\(what) did not finish within \(timeout) and was stopped"
        } else if let signal = completion.signal {
            detail = "\(what) was ended by signal \(signal)"
        } else {
            detail = "\(what) exited with code \(completion.exitCode)"
        }
        self.init(
            isSuccess: !completion.isTimedOut && completion.signal == nil && completion.exitCode == 0,
            exitCode: completion.exitCode,
            outputTail: completion.outputTail,
            detail: detail
        )
    }
}
