/// Remediation asks the book which silences hold it.
extension SilenceBook: SilenceLookup {}
