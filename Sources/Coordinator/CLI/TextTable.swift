import Foundation

/// Left-aligned columns separated by two spaces. Cells are made printable first: a newline or escape sequence
/// in an alert summary or a note must not break the table's lines or drive the operator's terminal.
struct TextTable {
    let rows: [[String]]

    var rendered: String {
        let rows = rows.map { $0.map(Self.printable) }
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }
            .joined(separator: "  ")
        }
        .joined(separator: "\n") + "\n"
    }

    /// Line breaks and tabs become spaces; other control characters are dropped.
    static func printable(_ cell: String) -> String {
        guard cell.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return cell }
        var scalars = String.UnicodeScalarView()
        for scalar in cell.unicodeScalars {
            if scalar == "\n" || scalar == "\r" || scalar == "\t" {
                scalars.append(" ")
            } else if scalar.properties.generalCategory != .control {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }
}
