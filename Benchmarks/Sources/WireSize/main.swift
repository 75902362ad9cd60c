import ReportFixtures
import Shared

// Prints how many bytes a typical report takes on the wire. Deterministic: same output on every run.

let encoder = FrameEncoder()

func frameBytes(_ report: Report) -> Int {
    do {
        return try encoder.encode(.report(report)).readableBytes
    } catch {
        fatalError("cannot encode report: \(error)")
    }
}

let emptyFrame = frameBytes(TypicalReport.empty())
print("Vigil wire size: report frames (4-byte length header + protobuf Envelope{Report})")
print("Empty report (seq, time, self stats; no samples): \(emptyFrame) bytes")
print("")
print("| samples | steady-state frame | bytes/sample (frame/N) | marginal bytes/sample | first on connection (with declarations) | declaration bytes/series |")
print("|---:|---:|---:|---:|---:|---:|")
for count in [50, 200] {
    let steady = frameBytes(TypicalReport.steadyState(sampleCount: count))
    let first = frameBytes(TypicalReport.firstOnConnection(sampleCount: count))
    let perSample = Double(steady) / Double(count)
    let marginal = Double(steady - emptyFrame) / Double(count)
    let perDeclaration = Double(first - steady) / Double(count)
    print(
        "| \(count) | \(steady) B | \(format(perSample)) | \(format(marginal)) | \(first) B | \(format(perDeclaration)) |"
    )
}

func format(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}
