/// Name resolution, types and units: turns the syntax trees of all files of
/// a project into one `Program`, reporting every problem it finds.
struct Checker {
    /// Aggregates inside aggregates, at most this deep.
    static let maxAggregateDepth = 12
    static let maxLetChain = 64
    /// Tree depth summed along a chain of lets read while checking one
    /// another. Each tree is at most `Parser.maxDepth` deep, but the checker
    /// and the evaluator descend into a let where it is read, so a chain
    /// nests its trees; this keeps the whole descent well inside the stack.
    static let maxChainedDepth = 512

    var files: [SourceFile]
    var diagnostics: [Diagnostic] = []
    var seen = Set<Diagnostic>()
    var units = UnitTable()
    var suggestions = Suggestions()
    var entities: [Entity] = []
    var entityIndex: [String: Int] = [:]

    // Per rule being checked.
    var scopes: [Int] = []
    var rule: RuleScope?

    struct LetSource {
        var expr: Expr
        var range: SourceRange
    }

    struct RuleScope {
        var lets: [String: LetSource]
        var slots: [String: Int] = [:]
        var inProgress: Set<String> = []
        var failed: Set<String> = []
        var locals: [Local] = []
        var chainedDepth = 0
    }

    init(files: [SourceFile]) {
        self.files = files
    }

    mutating func report(_ d: Diagnostic) {
        // An expression may be checked twice; the same error is reported once,
        // whether or not the suggestion budget lasted for its second check.
        var key = d
        key.help = nil
        key.fixes = []
        if seen.insert(key).inserted { diagnostics.append(d) }
    }

    // MARK: project

    mutating func check(_ asts: [RuleFileAST]) -> Program {
        var unitDecls: [UnitDecl] = []
        var entityDecls: [EntityDecl] = []
        var rulesetDecls: [RulesetDecl] = []
        var waiverDecls: [WaiverDecl] = []
        var testDecls: [TestDecl] = []
        for ast in asts {
            for d in ast.declarations {
                switch d {
                case .unit(let u): unitDecls.append(u)
                case .entity(let e): entityDecls.append(e)
                case .ruleset(let r): rulesetDecls.append(r)
                case .waiver(let w): waiverDecls.append(w)
                case .test(let t): testDecls.append(t)
                }
            }
        }
        checkUnits(unitDecls)
        checkEntities(entityDecls)

        var rulesets: [RulesetInfo] = []
        var rules: [CheckedRule] = []
        var ruleCodes: [String: SourceRange] = [:]
        var rulesetIDs: [String: SourceRange] = [:]
        for rs in rulesetDecls {
            if let prev = rulesetIDs[rs.id.text] {
                report(.rulesetDeclaredTwice(rs.id.text, at: rs.id.range, first: prev))
            }
            rulesetIDs[rs.id.text] = rs.id.range
            let index = rulesets.count
            rulesets.append(RulesetInfo(id: rs.id.text, title: rs.title, version: rs.version, source: rs.source,
                                        owner: rs.owner, deadline: rs.deadline.map(deadline)))
            if rs.forClause == nil, rs.rules.contains(where: { $0.forClause == nil }) {
                report(.rulesetWithoutFor(rs.id.text, at: rs.id.range))
            }
            for r in rs.rules {
                if let prev = ruleCodes[r.code.text] {
                    report(.ruleCodeUsedTwice(r.code.text, at: r.code.range, first: prev))
                }
                ruleCodes[r.code.text] = r.code.range
                if let cr = checkRule(r, in: rs, index: index) { rules.append(cr) }
            }
            // Ruleset lets no rule reads are still checked once.
            if let fc = rs.forClause, let e = entityIndex[fc.entity.text] {
                scopes = [e]
                rule = RuleScope(lets: Dictionary(rs.lets.map { ($0.name.text, LetSource(expr: $0.expr, range: $0.name.range)) }, uniquingKeysWith: { a, _ in a }))
                for l in rs.lets { _ = resolveLocal(l.name.text, at: l.name.range) }
                rule = nil
            }
        }
        let waivers = waiverDecls.compactMap { checkWaiver($0, codes: ruleCodes) }
        let tests = testDecls.map { checkTest($0, rules: rules) }
        return Program(files: files, units: units, entities: entities, rulesets: rulesets, rules: rules, waivers: waivers, tests: tests)
    }

    func deadline(_ d: DeadlineAST) -> Deadline {
        switch d {
        case .date(let x): return .date(x)
        case .within(let n): return .within(days: n)
        }
    }

}

/// Parses and checks a whole project. The program is returned only when no
/// error was found; warnings come back either way.
func compileProject(_ files: [SourceFile]) -> (program: Program?, diagnostics: [Diagnostic]) {
    let (asts, parseDiags) = parseProject(files)
    var checker = Checker(files: files)
    let program = checker.check(asts)
    let diags = parseDiags + checker.diagnostics
    let sorted = diags.sorted { a, b in
        (a.range.file, a.range.start, a.message.en) < (b.range.file, b.range.start, b.message.en)
    }
    return (sorted.contains { $0.severity == .error } ? nil : program, sorted)
}
