import Foundation
import Mustache

/// One parsed and checked template, rendered as plain text: nothing in a message is HTML-escaped.
struct MessageTemplate: Sendable {
    let name: TemplateName
    private let template: MustacheTemplate

    /// Put before the text so that `{{name}}` is not HTML-escaped either. It sits on a line of its own, which
    /// Mustache drops, so lines in the text keep their numbers plus one.
    private static let plainTextPragma = "{{% CONTENT_TYPE: TEXT}}\n"

    /// Parses `text` and checks every name in it against the vocabulary of `name`.
    init(_ name: TemplateName, text: String) throws(TemplateProblem) {
        self.name = name
        do {
            template = try MustacheTemplate(string: Self.plainTextPragma + text)
        } catch let error as MustacheTemplate.ParserError {
            let line = max(1, error.context.lineNumber - 1)
            let text = error.context.line.trimmingCharacters(in: .whitespaces)
            throw TemplateProblem(
                line: line,
                reason: Self.reason(error.error) + (text.isEmpty ? "" : " in \"\(text)\"")
            )
        } catch {
            throw TemplateProblem(line: nil, reason: "\(error)")
        }
        try TemplateNameCheck.check(text, against: .of(name))
    }

    func render(_ values: [String: TemplateValue]) -> String {
        template.render(values.mapValues(\.mustacheValue))
    }

    private static func reason(_ error: any Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "syntax error" }
        switch error {
        case .sectionCloseNameIncorrect: return "syntax error: a section is closed with a name it was not opened with"
        case .unfinishedName: return "syntax error: a tag's name is not finished (a stray brace or character?)"
        case .expectedSectionEnd: return "syntax error: a section is opened and never closed"
        case .invalidSetDelimiter: return "syntax error: a delimiter tag is malformed"
        case .transformAppliedToInheritanceSection, .illegalTokenInsideInheritSection, .textInsideInheritSection:
            return "syntax error: template inheritance is not supported in message templates"
        case .invalidConfigVariableSyntax, .unrecognisedConfigVariable:
            return "syntax error: pragmas are not supported: messages are always plain text"
        }
    }
}
