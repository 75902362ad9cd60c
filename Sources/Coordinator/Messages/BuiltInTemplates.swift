/// The playbook's communication templates and postmortem, word for word where the playbook gives words, with its
/// placeholders filled from the incident. A `messages.templates` entry replaces one of them.
///
/// A first line `Subject: …` becomes the message's subject (the customer messages have one, as in the playbook).
enum BuiltInTemplates {
    static func text(of name: TemplateName) -> String {
        switch name {
        case .message(.initial): initial
        case .message(.statusUpdate): statusUpdate
        case .message(.resolution): resolution
        case .message(.customerInitial): customerInitial
        case .message(.customerResolution): customerResolution
        case .message(.page): page
        case .postmortem: postmortem
        }
    }

    static let initial = """
        🚨 INCIDENT DETECTED 🚨
        Severity: {{severity}}
        Service: {{service}}
        Impact: {{impact}}
        Status: {{status}}
        IC: {{#commander}}@{{commander}}{{/commander}}{{^commander}}unassigned{{/commander}}
        War Room: {{war_room}}
        Status Page: {{status_page}}
        Next Update: {{next_update}}
        Incident: {{incident_id}} (acknowledge: {{ack_command}})

        """

    static let statusUpdate = """
        📊 INCIDENT UPDATE
        Time: {{update_time}}
        Status: {{update_status}}
        Current Impact: {{current_impact}}
        Actions Taken:{{^actions_taken}} none yet{{/actions_taken}}
        {{#actions_taken}}
        - {{.}}
        {{/actions_taken}}
        Next Steps:{{^next_steps}} none yet{{/next_steps}}
        {{#next_steps}}
        - {{.}}
        {{/next_steps}}
        ETA: {{#eta}}{{eta}}{{/eta}}{{^eta}}unknown{{/eta}}
        {{#next_update}}
        Next Update: {{next_update}}
        {{/next_update}}

        """

    static let resolution = """
        ✅ INCIDENT RESOLVED
        Duration: {{duration}} ({{started_at}} - {{ended_at}})
        Root Cause: {{#root_cause}}{{root_cause}}{{/root_cause}}{{^root_cause}}under investigation{{/root_cause}}
        Resolution: {{resolution}}
        User Impact: {{#impact_metrics}}{{impact_metrics}}{{/impact_metrics}}{{^impact_metrics}}{{impact}}{{/impact_metrics}}
        Follow-up: {{postmortem_link}}

        """

    static let customerInitial = """
        Subject: Service Disruption Notification

        We are currently experiencing issues with {{service}}.
        Our team is actively working on a resolution.

        Impact: {{customer_impact}}
        Workaround: none at this time

        Updates: {{status_page}}

        """

    static let customerResolution = """
        Subject: Service Restored

        The issue affecting {{service}} has been resolved.
        All systems are now operating normally.

        Duration: {{started_at}} - {{ended_at}}
        Impact: {{customer_impact}}

        We apologize for any inconvenience.

        """

    static let page = """
        📟 PAGE {{severity}}: {{paged_person}}, you are paged as {{paged_role}}{{#paged_step}} (step {{paged_step}}){{/paged_step}}
        Service: {{service}}
        Title: {{title}}
        Respond by: {{response_due}}
        Incident: {{incident_id}}
        Acknowledge: {{ack_command}}

        """

    static let postmortem = """
        # Postmortem: {{title}}
        Date: {{date}}
        Authors: {{#authors}}{{authors}}{{/authors}}{{^authors}}(to be filled in){{/authors}}
        Status: {{postmortem_status}}
        {{#due}}
        Due: {{due}}
        {{/due}}

        ## Summary
        - Incident: {{incident_id}}, {{incident_kind}} in {{service}}, {{severity}} (peak {{peak_severity}})
        - Duration: {{duration}} ({{started_at}} - {{#ended_at}}{{ended_at}}{{/ended_at}}{{^ended_at}}ongoing{{/ended_at}})
        - Impact: {{impact}}
        {{#open_readings}}
          - at open: {{.}}
        {{/open_readings}}
        {{#peak_readings}}
          - at peak: {{.}}
        {{/peak_readings}}
        - Root Cause: {{#root_cause}}{{root_cause}}{{/root_cause}}{{^root_cause}}to be determined{{/root_cause}}

        ## Timeline
        Times are {{time_zone}}.
        {{#timeline}}
        - {{time}} – {{actor}}: {{message}}
        {{/timeline}}

        ## Root Cause Analysis
        {{#root_cause}}
        {{root_cause}}

        {{/root_cause}}
        (Detailed explanation: what failed, why, and why it was not caught earlier.)

        ## Resolution
        {{#resolved_at}}
        Resolved by {{resolved_by}} at {{resolved_at}}.
        {{/resolved_at}}
        {{^resolved_at}}
        Not resolved yet.
        {{/resolved_at}}
        {{#final_update}}

        Final status update: {{final_update}}
        {{/final_update}}

        ## Remediation
        {{#commands}}
        - {{issued_at}} {{action}} on {{node}} ({{parameters}}{{#is_dry_run}}, dry run{{/is_dry_run}}), issued by {{issued_by}}{{#finished_at}}, finished {{finished_at}}{{/finished_at}}: {{outcome}}
        {{/commands}}
        {{^commands}}
        No commands were run.
        {{/commands}}

        ## Lessons Learned
        ### What Went Well
        -
        -

        ### What Went Wrong
        -
        -

        ## Action Items
        | Action | Owner | Due Date | Status |
        |--------|-------|----------|--------|
        | | | | |

        ## Supporting Information
        {{#links}}
        - {{label}}: {{url}}
        {{/links}}
        {{^links}}
        - Dashboards:
        - Logs:
        - Metrics:
        {{/links}}
        - Status page: {{status_page}}
        - War room: {{war_room}}
        - Incident: vigil incident show {{incident_id}}

        """
}
