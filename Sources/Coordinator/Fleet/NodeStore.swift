/// Where node registrations are kept; `Storage/` provides it.
protocol NodeStore: Sendable {
    func loadNodes() async throws -> [StoredNode]
    /// Inserts or replaces each node's row, all in one transaction.
    func saveNodes(_ nodes: [StoredNode]) async throws
    /// Proves the store answers, for the health endpoint.
    func checkHealth() async throws
}
