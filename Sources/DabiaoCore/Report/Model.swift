/// The one result model every renderer reads. Nothing downstream of the
/// engine computes a verdict.

extension Level {
    public var label: Text {
        switch self {
        case .error: return Text("错误", "error")
        case .warning: return Text("警告", "warning")
        case .info: return Text("提示", "info")
        }
    }
}

extension Outcome {
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


/// Pass counts per rule, for the per-rule table every report shows.
public struct RuleTally: Sendable, Equatable {
    public var ruleset: String
    public var rule: String
    public var title: String
    public var level: Level
    public var cite: String?
    public var summary: Summary
    /// The rule's requires as written, for help texts (SARIF `help.markdown`).
    public var requires: [RequireText] = []
    /// The rule's (or its ruleset's) `url`, for SARIF `helpUri`.
    public var url: String?
}

/// One `require` of a rule: its source text, its label and its level.
public struct RequireText: Sendable, Equatable {
    public var source: String
    public var label: String?
    public var level: Level
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
    /// Every result counted per 市州, whether listed or not (so a report of
    /// failures only still has per-city pass rates), in the order of the
    /// region data; the records without a city last, with `city` nil.
    /// Empty for a report built by hand.
    public var cities: [CityTally] = []
    /// For a report too large to hold: `results` and `rectification` are
    /// empty and their elements are made part by part as they are written
    /// (only the JSON report is written this way).
    public var deferred: DeferredResults? = nil
}

/// The results and 整改清单 entries of a report, made on demand by range.
public struct DeferredResults: Sendable {
    public let resultCount: Int
    public let rectificationCount: Int
    let results: @Sendable (Range<Int>) -> [RuleResult]
    let rectification: @Sendable (Range<Int>) -> [RectificationItem]
}

