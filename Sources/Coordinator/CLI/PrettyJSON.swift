import Foundation

/// What `--output json` prints: the API's own JSON, indented and with sorted keys so diffs and `jq` stay easy.
enum PrettyJSON {
    static func write(_ value: some Encodable, to output: inout some TextOutputStream) throws {
        let encoder = APIJSON.makeEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        output.write(String(decoding: try encoder.encode(value), as: UTF8.self) + "\n")
    }
}
