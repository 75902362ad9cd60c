/// The command line both latency tools take: `--vigil PATH`, `--sequential N`, `--burst N`, and the flags
/// `--verbose` (every incident's figures) and `--keep` (leave each coordinator's directory in place).
public struct LatencyOptions: Sendable {
    public var vigil = "../.build/release/vigil"
    public var sequential: Int
    public var burst: Int
    public var verbose = false
    public var keep = false

    public init(_ arguments: [String], sequential: Int, burst: Int) throws {
        self.sequential = sequential
        self.burst = burst
        var rest = arguments.dropFirst()
        while let flag = rest.popFirst() {
            switch flag {
            case "--verbose": verbose = true
            case "--keep": keep = true
            case "--vigil", "--sequential", "--burst":
                guard let value = rest.popFirst() else { throw ToolError("\(flag) needs a value") }
                if flag == "--vigil" {
                    vigil = value
                } else {
                    guard let count = Int(value), count >= 0 else { throw ToolError("\(flag) must be a whole number") }
                    if flag == "--sequential" { self.sequential = count } else { self.burst = count }
                }
            default: throw ToolError("unknown option \(flag)")
            }
        }
    }
}
