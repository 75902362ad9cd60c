import ArgumentParser

extension IncidentID {
    /// Reads an incident id as operators type it (`12` or `#12`); a usage error naming the value otherwise.
    static func argument(_ text: String) throws -> IncidentID {
        guard let id = IncidentID(text: text) else {
            throw ValidationError("invalid incident id \(APIInputError.quoted(text)): use a number such as 12 or #12")
        }
        return id
    }
}
