/// The one result model every renderer reads. Nothing downstream of the
/// engine computes a verdict.

extension Level {
    var label: Bilingual {
        switch self {
        case .error: return Bilingual("错误", "error")
        case .warning: return Bilingual("警告", "warning")
        case .info: return Bilingual("提示", "info")
        }
    }
}

extension Outcome {
    var label: Bilingual {
        switch self {
        case .pass: return Bilingual("达标", "pass")
        case .fail: return Bilingual("不达标", "fail")
        case .waived: return Bilingual("已豁免", "waived")
        case .notApplicable: return Bilingual("不适用", "not applicable")
        case .missing: return Bilingual("数据缺失", "missing data")
        case .undefined: return Bilingual("无法计算", "undefined")
        }
    }
}


/// Pass counts per rule, for the per-rule table every report shows.
struct RuleTally: Sendable, Equatable {
    var ruleset: String
    var rule: String
    var title: String
    var level: Level
    var cite: String?
    var summary: Summary
    /// The rule's requires as written, for help texts (SARIF `help.markdown`).
    var requires: [RequireText] = []
    /// The rule's (or its ruleset's) `url`, for SARIF `helpUri`.
    var url: String?
}

/// One `require` of a rule: its source text, its label and its level.
struct RequireText: Sendable, Equatable {
    var source: String
    var label: String?
    var level: Level
}

struct RulesFileInfo: Sendable, Equatable {
    var path: String
    var sha256: String
}

/// One run's report; render it with `Pipeline.render`.
public struct Report: Sendable {
    var tool = "dabiao"
    var version = dabiaoVersion
    var asOf: Int
    var rulesets: [RulesetInfo]
    var inputs: [InputInfo]
    var rulesFiles: [RulesFileInfo]
    var summary: Summary
    var tallies: [RuleTally]
    var results: [RuleResult]
    var rectification: [RectificationItem]
    var dataErrors: [DataError]
    var notes: [DataError]
    var waivers: [WaiverReport]
    /// Whether `results` lists every result or only the failures.
    var showsAll: Bool
    /// Every result counted per 市州, whether listed or not (so a report of
    /// failures only still has per-city pass rates), in the order of the
    /// region data; the records without a city last, with `city` nil.
    /// Empty for a report built by hand.
    var cities: [CityTally] = []
    /// For a report too large to hold: `results` and `rectification` are
    /// empty and their elements are made part by part as they are written
    /// (only the JSON report is written this way).
    var deferred: DeferredResults? = nil
}

/// The results and 整改清单 entries of a report, made on demand by range.
struct DeferredResults: Sendable {
    let resultCount: Int
    let rectificationCount: Int
    let results: @Sendable (Range<Int>) -> [RuleResult]
    let rectification: @Sendable (Range<Int>) -> [RectificationItem]
}

