/// The one result model every renderer reads. Nothing downstream of the
/// engine computes a verdict.

public enum Outcome: String, Sendable, CaseIterable {
    case pass, fail, waived
    case notApplicable = "not-applicable"
    case missing, undefined

    public var label: Text {
        switch self {
        case .pass: return Text("达标", "pass")
        case .fail: return Text("不达标", "fail")
        case .waived: return Text("已豁免", "waived")
        case .notApplicable: return Text("不适用", "not applicable")
        case .missing: return Text("数据缺失", "missing data")
        case .undefined: return Text("无法计算", "undefined")
        }
    }
}

extension Level {
    public var label: Text {
        switch self {
        case .error: return Text("错误", "error")
        case .warning: return Text("警告", "warning")
        case .info: return Text("提示", "info")
        }
    }
}

public struct MeasureValue: Sendable, Equatable {
    public var name: String
    /// In `unit`; nil when it could not be computed.
    public var value: Double?
    public var unit: String
}

/// One remedy for a failed result: change `field` from → to.
public struct Fix: Sendable, Equatable {
    public var field: String
    public var label: String
    public var from: Double?
    public var to: Double?
    public var delta: Double?
    public var unit: String
    public var action: String?
    /// Why no change could be found, when `to` is nil.
    public var reason: Text?
}

public struct RuleResult: Sendable, Equatable {
    public var ruleset: String
    public var rule: String
    public var title: String
    public var entity: String
    public var key: String
    public var name: String?
    public var city: String?
    public var outcome: Outcome
    public var level: Level?
    public var measures: [MeasureValue]
    public var message: String?
    public var cite: String?
    public var missingFields: [String]
    public var fixes: [Fix]
    public var sourcePath: String?
    public var sourceLine: Int?
    /// The labels of the requires that failed, most severe first.
    public var failedRequires: [String]
    public var waiverReason: String?
    public var owner: String?
    public var deadline: Int?
}

public struct Summary: Sendable, Equatable {
    public var results = 0
    public var pass = 0
    public var fail = 0
    public var waived = 0
    public var notApplicable = 0
    public var missing = 0
    public var undefined = 0
    public var error = 0
    public var warning = 0
    public var info = 0

    public init() {}

    public mutating func count(_ o: Outcome, _ level: Level?) {
        results += 1
        switch o {
        case .pass: pass += 1
        case .fail:
            fail += 1
            switch level ?? .error {
            case .error: error += 1
            case .warning: warning += 1
            case .info: info += 1
            }
        case .waived: waived += 1
        case .notApplicable: notApplicable += 1
        case .missing: missing += 1
        case .undefined: undefined += 1
        }
    }

    public mutating func add(_ o: Summary) {
        results += o.results; pass += o.pass; fail += o.fail; waived += o.waived
        notApplicable += o.notApplicable; missing += o.missing; undefined += o.undefined
        error += o.error; warning += o.warning; info += o.info
    }
}

/// Pass counts per rule, for the per-rule table every report shows.
public struct RuleTally: Sendable, Equatable {
    public var ruleset: String
    public var rule: String
    public var title: String
    public var level: Level
    public var cite: String?
    public var summary: Summary
}

public enum WaiverStatus: String, Sendable {
    case active, expired, unused
    case unknownRule = "unknown-rule"
    case unknownKey = "unknown-key"
}

public struct WaiverReport: Sendable, Equatable {
    public var rule: String
    public var entity: String
    public var key: String
    public var until: Int
    public var reason: String
    public var status: WaiverStatus
}

public struct RectificationChange: Sendable, Equatable {
    public var field: String
    public var label: String
    public var from: Double?
    public var to: Double?
    public var delta: Double?
    public var unit: String
    public var rules: [String]
    public var action: String?
}

public struct RectificationItem: Sendable, Equatable {
    public var entity: String
    public var key: String
    public var name: String?
    public var city: String?
    public var owner: String?
    public var deadline: Int?
    public var changes: [RectificationChange]
    public var conflicts: [Text]
    public var passesAfter: [String]
    public var stillFailing: [String]
    public var unresolved: [(rule: String, reason: Text)]

    public static func == (a: RectificationItem, b: RectificationItem) -> Bool {
        a.entity == b.entity && a.key == b.key && a.changes == b.changes && a.passesAfter == b.passesAfter
            && a.stillFailing == b.stillFailing && a.conflicts == b.conflicts
    }
}

public struct RulesFileInfo: Sendable, Equatable {
    public var path: String
    public var sha256: String
}

public struct Report: Sendable {
    public var tool = "dabiao"
    public var version = dabiaoVersion
    public var asOf: Int
    public var rulesets: [RulesetInfo]
    public var inputs: [InputInfo]
    public var rulesFiles: [RulesFileInfo]
    public var summary: Summary
    public var tallies: [RuleTally]
    public var results: [RuleResult]
    public var rectification: [RectificationItem]
    public var dataErrors: [DataError]
    public var notes: [DataError]
    public var waivers: [WaiverReport]
    /// Whether `results` lists every result or only the failures.
    public var showsAll: Bool
}

public let dabiaoVersion = "0.1.0"
