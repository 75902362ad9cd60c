/// Detection hears of every accepted report, to evaluate the rules that read its series.
extension DetectionEngine: ReportObserver {}
