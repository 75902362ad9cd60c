/// The engine answers the API's remediation routes itself.
extension RemediationEngine: RemediationOperations {}
