import Foundation
import HTTPTransfer

extension NotificationChannelFile {
    /// An `email` channel's keys. STARTTLS defaults to `required` when a username is set (a password never
    /// crosses the network in clear unless `starttls: off` says so) and to `optional` otherwise.
    static func email(
        _ fields: [String: ConfigurationField],
        in channel: ConfigurationField,
        environment: [String: String]
    ) throws(CoordinatorConfigurationError) -> NotificationChannel.Email {
        guard let urlField = fields["smtp_url"] else { throw channel.error("an email channel needs smtp_url") }
        let url = try urlField.text()
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "smtp" || scheme == "smtps", let host = components.host, !host.isEmpty
        else {
            throw urlField.error("smtp_url \(quoted(url)) is not an smtp or smtps URL")
        }
        guard components.user == nil, components.password == nil else {
            throw urlField.error("smtp_url must not hold credentials; use username and password_env")
        }
        guard let fromField = fields["from"] else { throw channel.error("an email channel needs from") }
        let from = try address(fromField, key: "from")
        var email = NotificationChannel.Email(smtpURL: url, from: from)
        if let toField = fields["to"] {
            email.to = try toField.items().map { item throws(CoordinatorConfigurationError) in
                try address(item, key: "to")
            }
        }
        switch (fields["username"], fields["password_env"]) {
        case (nil, nil):
            break
        case (let usernameField?, let variableField?):
            let username = try usernameField.text()
            guard !username.isEmpty else { throw usernameField.error("username must not be empty") }
            email.username = username
            email.password = try password(variableField, environment: environment)
        case (_?, nil):
            throw channel.error("username needs password_env, the environment variable holding the password")
        case (nil, let variableField?):
            throw variableField.error("password_env needs username")
        }
        email.startTLS = email.username == nil ? .optional : .required
        if let startTLSField = fields["starttls"] {
            let text = try startTLSField.text()
            guard let startTLS = NotificationChannel.Email.StartTLS(rawValue: text) else {
                throw startTLSField.error("starttls must be required, optional or off, not \(quoted(text))")
            }
            email.startTLS = startTLS
        }
        if let caField = fields["ca_file"] {
            let path = try caField.text()
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw caField.error("ca_file \(quoted(path)) is not a readable file")
            }
            email.caFile = path
        }
        return email
    }

    private static func address(
        _ field: ConfigurationField,
        key: String
    ) throws(CoordinatorConfigurationError) -> MailAddress {
        let text = try field.text()
        guard let address = MailAddress(text) else {
            throw field.error(
                "\(key) \(quoted(text)) is not an e-mail address such as vigil@example.com or \"Vigil <vigil@example.com>\""
            )
        }
        return address
    }

    /// The password from the environment variable `field` names, read once at start.
    private static func password(
        _ field: ConfigurationField,
        environment: [String: String]
    ) throws(CoordinatorConfigurationError) -> SecretText {
        let variable = try field.text()
        guard !variable.isEmpty,
            variable.unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_")
            })
        else {
            throw field.error("password_env \(quoted(variable)) is not an environment variable name")
        }
        guard let password = environment[variable] else {
            throw field.error("password_env \(variable) is not set in the coordinator's environment")
        }
        guard !password.isEmpty else { throw field.error("password_env \(variable) is set but empty") }
        return SecretText(password)
    }
}
