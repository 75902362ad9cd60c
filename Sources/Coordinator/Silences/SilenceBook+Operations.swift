/// The book answers the API's silence routes itself.
extension SilenceBook: SilenceOperations {}
