/// Runs the `test` blocks of a rule project: each in isolation, with only
/// its `given` records and its own waivers.
struct TestOutcome: Sendable {
    var test: String
    var range: SourceRange
    var expectation: String
    /// nil when the expectation held.
    var failure: Bilingual?
}

enum TestRunner {
    static func run(_ program: Program, asOf: Int) -> [TestOutcome] {
        var out: [TestOutcome] = []
        for test in program.tests {
            var loader = DataLoader(program: program)
            for g in test.givens {
                let (line, _) = program.files.indices.contains(g.range.file) ? program.files[g.range.file].location(of: g.range.start) : (0, 0)
                loader.add(g, line: line)
            }
            var p = program
            p.waivers = test.waivers
            let engine = Engine(program: p, data: loader.dataset)
            let evaluation = engine.evaluate(RunOptions(asOf: asOf, showAll: true, workers: 1))
            for x in test.expects {
                // In a report's order, so the first record named is the same in every run.
                var results: [RuleResult] = []
                if let rule = p.ruleIndex(x.rule), evaluation.shown.indices.contains(rule) {
                    results = engine.results(rule: rule, rows: evaluation.shown[rule].rows(0..<evaluation.shown[rule].count), asOf: asOf,
                                             solved: evaluation.solved.indices.contains(rule) ? evaluation.solved[rule] : nil)
                }
                out.append(TestOutcome(test: test.title, range: x.range, expectation: describe(x), failure: check(x, results)))
            }
        }
        return out
    }

    static func describe(_ x: CheckedExpect) -> String {
        switch x.kind {
        case .outcome(let o, let l): return "\(x.rule) \(o.rawValue)" + (l.map { " \($0.rawValue)" } ?? "")
        case .adjust(let name, let delta, let unit):
            let shown = delta / unit.scale
            return "\(x.rule) adjust \(name) \(shown >= 0 ? "+" : "")\(formatNumber(shown))"
        }
    }

    static func actual(_ r: RuleResult) -> String {
        r.outcome.rawValue + (r.level.map { " \($0.rawValue)" } ?? "")
    }

    static func check(_ x: CheckedExpect, _ results: [RuleResult]) -> Bilingual? {
        guard !results.isEmpty else {
            return Bilingual("规则 \(x.rule) 没有产生结果（没有记录被 for … where 选中）", "rule \(x.rule) produced no result (no record was selected by its for … where)")
        }
        for r in results {
            switch x.kind {
            case .outcome(let o, let level):
                let ok: Bool
                switch o {
                case .pass: ok = r.outcome == .pass
                case .fail: ok = r.outcome == .fail && (level == nil || r.level == level)
                case .notApplicable: ok = r.outcome == .notApplicable
                case .missing: ok = r.outcome == .missing
                case .undefined: ok = r.outcome == .undefined
                case .waived: ok = r.outcome == .waived
                }
                if !ok {
                    return Bilingual("记录 \(r.key)：期望 \(describe(x))，实际 \(actual(r))" + (r.missingFields.isEmpty ? "" : "（缺失 \(r.missingFields.joined(separator: "、"))）"),
                                "record \(r.key): expected \(describe(x)), got \(actual(r))" + (r.missingFields.isEmpty ? "" : " (missing \(r.missingFields.joined(separator: ", ")))"))
                }
            case .adjust(let name, let delta, let unit):
                let want = delta / unit.scale
                // A field may be adjusted both ways (`up` and `down`): judge the
                // fix in the direction the expectation names.
                let named = r.fixes.filter { $0.field == name }
                let sameWay = named.first { f in f.delta.map { ($0 >= 0) == (want >= 0) } ?? false }
                guard let fix = sameWay ?? named.first(where: { $0.delta != nil }) ?? named.first else {
                    return Bilingual("记录 \(r.key)：期望 \(describe(x))，实际没有对 \(name) 的整改（结果 \(actual(r))）",
                                "record \(r.key): expected \(describe(x)), but there is no fix of \(name) (outcome \(actual(r)))")
                }
                guard let got = fix.delta else {
                    return Bilingual("记录 \(r.key)：期望 \(describe(x))，实际无法求出整改量：\(fix.reason?.zh ?? "")",
                                "record \(r.key): expected \(describe(x)), but no change was found: \(fix.reason?.en ?? "")")
                }
                if !approxEqual(got, want) && abs(got - want) > 1e-6 {
                    return Bilingual("记录 \(r.key)：期望 \(describe(x))，实际 \(got >= 0 ? "+" : "")\(formatNumber(got))",
                                "record \(r.key): expected \(describe(x)), got \(got >= 0 ? "+" : "")\(formatNumber(got))")
                }
            }
        }
        return nil
    }
}
