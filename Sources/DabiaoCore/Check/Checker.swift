/// Name resolution, types and units: turns the syntax trees of all files of
/// a project into one `Program`, reporting every problem it finds.
public struct Checker {
    /// Aggregates inside aggregates, at most this deep.
    public static let maxAggregateDepth = 12
    public static let maxLetChain = 64
    /// Tree depth summed along a chain of lets read while checking one
    /// another. Each tree is at most `Parser.maxDepth` deep, but the checker
    /// and the evaluator descend into a let where it is read, so a chain
    /// nests its trees; this keeps the whole descent well inside the stack.
    public static let maxChainedDepth = 512

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

    public init(files: [SourceFile]) {
        self.files = files
    }

    mutating func report(_ d: Diagnostic) {
        // An expression may be checked twice; the same error is reported once,
        // whether or not the suggestion budget lasted for its second check.
        var key = d
        key.help = nil
        if seen.insert(key).inserted { diagnostics.append(d) }
    }

    mutating func error(_ r: SourceRange, _ m: Text, help: Text? = nil) {
        report(Diagnostic(.error, r, m, help: help))
    }

    // MARK: project

    public mutating func check(_ asts: [RuleFileAST]) -> Program {
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
                error(rs.id.range, Text("规则集 \(rs.id.text) 重复声明", "ruleset \(rs.id.text) is declared twice"),
                      help: Text("首次声明在 \(where_(prev))", "first declared at \(where_(prev))"))
            }
            rulesetIDs[rs.id.text] = rs.id.range
            let index = rulesets.count
            rulesets.append(RulesetInfo(id: rs.id.text, title: rs.title, version: rs.version, source: rs.source,
                                        owner: rs.owner, deadline: rs.deadline.map(deadline)))
            if rs.forClause == nil, rs.rules.contains(where: { $0.forClause == nil }) {
                error(rs.id.range, Text("规则集 \(rs.id.text) 没有 for 子句", "ruleset \(rs.id.text) has no for clause"),
                      help: Text("写明规则适用的实体，例如 for school where level == \"中职\"", "name the entity, e.g. for school where level == \"中职\""))
            }
            for r in rs.rules {
                if let prev = ruleCodes[r.code.text] {
                    error(r.code.range, Text("规则编号 \(r.code.text) 重复", "rule code \(r.code.text) is used twice"),
                          help: Text("首次使用在 \(where_(prev))；规则编号在整个项目中必须唯一", "first used at \(where_(prev)); rule codes are unique across the project"))
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

    func where_(_ r: SourceRange) -> String {
        guard r.file >= 0, r.file < files.count else { return "?" }
        let (l, c) = files[r.file].location(of: r.start)
        return "\(files[r.file].path):\(l):\(c)"
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
public func compileProject(_ files: [SourceFile]) -> (program: Program?, diagnostics: [Diagnostic]) {
    let (asts, parseDiags) = parseProject(files)
    var checker = Checker(files: files)
    let program = checker.check(asts)
    let diags = parseDiags + checker.diagnostics
    let sorted = diags.sorted { a, b in
        (a.range.file, a.range.start, a.message.en) < (b.range.file, b.range.start, b.message.en)
    }
    return (sorted.contains { $0.severity == .error } ? nil : program, sorted)
}
