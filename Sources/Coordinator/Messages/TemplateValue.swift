/// A value a template can name: text, a flag for sections, a list to repeat a section over, or a record whose
/// fields the repeated section names. A value that is not known (no root cause yet) is left out of the context, so
/// `{{^root_cause}}…{{/root_cause}}` can say so.
indirect enum TemplateValue: Hashable, Sendable {
    case text(String)
    case flag(Bool)
    case list([TemplateValue])
    case record([String: TemplateValue])

    /// A list of text values.
    static func texts(_ items: [String]) -> TemplateValue {
        .list(items.map(TemplateValue.text))
    }

    /// The value as swift-mustache reads it: strings, booleans, arrays and string-keyed dictionaries.
    var mustacheValue: Any {
        switch self {
        case .text(let text): text
        case .flag(let flag): flag
        case .list(let items): items.map(\.mustacheValue)
        case .record(let fields): fields.mapValues(\.mustacheValue)
        }
    }
}
