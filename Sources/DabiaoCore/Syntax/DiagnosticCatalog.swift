/// Every diagnostic of the rule language: its stable code, and its
/// constructor with the message in both languages. Call sites name a
/// constructor (`report(.unknownName(…))`) and write no message text;
/// docs/diagnostics.md shows each code with an example and its output, and
/// Tests/DabiaoCoreTests/Diagnostics checks that both stay complete.
///
/// Codes never change meaning and are never reused: a code that is no
/// longer reported is removed from `DiagnosticCode`, not renumbered.
enum DiagnosticCode: String, Sendable, CaseIterable {
    // MARK: E01 characters, numbers, strings
    case unexpectedCharacter = "E0101"
    case invalidDate = "E0102"
    case numberOutOfRange = "E0103"
    case unknownEscape = "E0104"
    case unterminatedString = "E0105"
    case invalidUTF8 = "E0106"
    case unclosedInterpolation = "E0107"
    // MARK: E02 syntax
    case expected = "E0201"
    case keywordAsName = "E0202"
    case statementNotEnded = "E0203"
    case unclosedBlock = "E0204"
    case ruleOutsideRuleset = "E0205"
    case badUnitExponent = "E0206"
    case nestedTooDeeply = "E0207"
    case chainedComparison = "E0208"
    case keywordInExpression = "E0209"
    case unexpectedItem = "E0210"
    case ruleWithoutRequire = "E0211"
    case interpolationTrailingText = "E0212"
    // MARK: E03 url items
    case urlCharacter = "E0301"
    case urlHostNotPunycode = "E0302"
    case urlNotAbsolute = "E0303"
    // MARK: E04 declarations: rulesets, entities, fields, units
    case duplicateDeclaration = "E0401"
    case rulesetWithoutFor = "E0402"
    case fieldNamedLikeEntity = "E0403"
    case unknownEntity = "E0404"
    case secondKeyField = "E0405"
    case unitCycle = "E0406"
    case unknownUnit = "E0407"
    case unitFactorNotPositive = "E0408"
    case baselessUnitNotOne = "E0409"
    case unitScaleOutOfRange = "E0410"
    case valueOutOfRange = "E0411"
    case displayFieldNotText = "E0412"
    // MARK: E05 names, types and units in expressions
    case notACondition = "E0501"
    case bareEntityName = "E0502"
    case unknownName = "E0503"
    case unknownField = "E0504"
    case prevWithoutKey = "E0505"
    case entityNotInScope = "E0506"
    case memberOfNonRecord = "E0507"
    case noOrder = "E0508"
    case incomparable = "E0509"
    case unitMismatch = "E0510"
    case branchUnitMismatch = "E0511"
    case branchTypeMismatch = "E0512"
    case arithmeticOnNonNumber = "E0513"
    // MARK: E06 functions and aggregates
    case notAnAggregate = "E0601"
    case aggregateArgument = "E0602"
    case unknownFunction = "E0603"
    case wrongArgumentCount = "E0604"
    case wrongArgumentType = "E0605"
    case aggregatesTooDeep = "E0606"
    case aggregateOfNonNumber = "E0607"
    // MARK: E07 rules: lets, measures, adjusts
    case letNamedLikeField = "E0701"
    case undefinedMeasure = "E0702"
    case measureUnit = "E0703"
    case adjustNonNumber = "E0704"
    case unknownAdjustTarget = "E0705"
    case badAdjustStep = "E0706"
    case letCycle = "E0707"
    case letChainTooDeep = "E0708"
    // MARK: E08 tests
    case givenValueType = "E0801"
    case testUnitMismatch = "E0802"
    case unknownRuleCode = "E0803"
    case unknownAdjust = "E0804"
    // MARK: W warnings (the program still runs)
    case notOneOfValues = "W0001"

    var severity: DiagnosticSeverity { rawValue.hasPrefix("W") ? .warning : .error }

    /// What the code means, for docs/diagnostics.md.
    var explanation: String {
        switch self {
        case .unexpectedCharacter: return "A character that starts no token: a Chinese quotation mark where a string's ASCII `\"` belongs, a stray symbol. Curly quotes get a fix-it to `\"`."
        case .invalidDate: return "A date literal (`YYYY-MM-DD`) that names no day of the calendar."
        case .numberOutOfRange: return "A number literal beyond what a double can hold (about 1.8e308), or so small that it would round to zero or lose its precision (below about 2.2e-308)."
        case .unknownEscape: return "A backslash in a string followed by something other than `\"`, `\\`, `n`, `t`, `{` or `}`."
        case .unterminatedString: return "A string whose closing `\"` is missing on its line (strings do not span lines)."
        case .invalidUTF8: return "Bytes of the rule file that are not UTF-8 (a file saved as GBK, say); each is shown with its hex value."
        case .unclosedInterpolation: return "A `{` in a `message` string with no `}` after it on the line."
        case .expected: return "The grammar needed one thing here and found another: a token (`)`, `{`, `then`), a kind of name, a string, a number, a level, a date. The message says what was expected and what was found."
        case .keywordAsName: return "A keyword (`when`, `rule`, `text`…) used where a name is declared."
        case .statementNotEnded: return "More on a line after a complete statement: each item of a block ends at its line's end."
        case .unclosedBlock: return "A `{` of an entity, ruleset, rule, test, given or match with no `}` before the end of the file."
        case .ruleOutsideRuleset: return "A `rule` at the top level of a file: rules belong inside a `ruleset`, which says which entity they check."
        case .badUnitExponent: return "A unit power that is not a whole number from 1 to 9 (`平方米^2`, `人^-1` are fine)."
        case .nestedTooDeeply: return "An expression nested past the parser's limit (64 open parentheses or calls, 200 levels of operators): split it into lets."
        case .chainedComparison: return "`a < b < c`: comparisons do not chain; write `a < b and b < c` or `b between a and c`."
        case .keywordInExpression: return "A keyword where an expression should start."
        case .unexpectedItem: return "A line in a ruleset, rule or test block that begins with none of the items such a block takes; the help lists them."
        case .ruleWithoutRequire: return "A rule with no `require`: it would pass every record."
        case .interpolationTrailingText: return "Text inside a message's `{…}` after a complete expression."
        case .urlCharacter: return "A `url` item containing a character a URL cannot hold as written (a space, a control character, a backslash, a Chinese character, a stray `%`, `<`…). Where the repair is certain (percent-encoding, removing a control character) there is a fix-it."
        case .urlHostNotPunycode: return "A non-ASCII character in a URL's host name: write the domain's `xn--` (Punycode) form."
        case .urlNotAbsolute: return "A `url` that is not an absolute `http://` or `https://` address, or has no host."
        case .duplicateDeclaration: return "A name declared twice where it must be unique: a ruleset, a rule code (unique across the whole project), an entity, a field, a unit or alias, a let or measure. The first declaration is shown as a secondary span."
        case .rulesetWithoutFor: return "A ruleset with no `for` clause while some of its rules have none either: nothing says which records they check."
        case .fieldNamedLikeEntity: return "A field with the name of an entity, which would make `name.field` ambiguous."
        case .unknownEntity: return "An entity name that no `entity` declares, in `for`, `ref`, an aggregate, a waiver or a test. A close name gets a fix-it."
        case .secondKeyField: return "A second `key` field in one entity; the first is shown as a secondary span."
        case .unitCycle: return "Units defined in terms of each other in a circle."
        case .unknownUnit: return "A unit name that no `unit` declares. A close name gets a fix-it."
        case .unitFactorNotPositive: return "A unit defined as zero or a negative multiple of another."
        case .baselessUnitNotOne: return "A unit defined as a bare number other than 1: counting units are `= 1`; a scaled unit names its base (`= 10000 元`)."
        case .unitScaleOutOfRange: return "A unit whose factor to its base units is out of a double's range."
        case .valueOutOfRange: return "A number that is in range as written but not once converted to base units."
        case .displayFieldNotText: return "`display name` and `display region` name a text field of the entity: a record's name, its 市州."
        case .notACondition: return "A `require`, `when`, `where`, `if`, `and`, `or` or `not` given something that is not true or false."
        case .bareEntityName: return "An entity name (or `this`) used as a value: read a field of it, or aggregate over it."
        case .unknownName: return "A name that is not a field of the records in scope, nor a let or measure. A close name gets a fix-it."
        case .unknownField: return "`E.field` or `ref.field` naming a field the entity does not have. A close name gets a fix-it."
        case .prevWithoutKey: return "`prev.field` on an entity with no key field: last period's record is found by its key."
        case .entityNotInScope: return "`E.field` where no record of E is in scope: reach other entities through a ref field or an aggregate."
        case .memberOfNonRecord: return "`.field` after something that is not a record (a number, a text field)."
        case .noOrder: return "`<`, `>`, `between` on values with no order: bools, and text (text compares only with `==` and `!=`)."
        case .incomparable: return "A comparison between values of different kinds (text and a number, a date and a bool)."
        case .unitMismatch: return "`+`, `-` or a comparison between numbers of different dimensions. When one side is a number written without a unit, the diagnostic points at it and the fix-it adds the other side's unit."
        case .branchUnitMismatch: return "The branches of an `if` or `match`, or the arguments of `min`/`max`, in units of different dimensions."
        case .branchTypeMismatch: return "The branches of an `if` or `match`, or the arguments of `min`/`max`, of different types."
        case .arithmeticOnNonNumber: return "Arithmetic (`+ - * /`, unary minus) on something that is not a number."
        case .notAnAggregate: return "`where` or `E:` in a call of a function that is not an aggregate."
        case .aggregateArgument: return "An aggregate called with the wrong kind of argument: `count`/`any`/`all` take an entity, `sum`/`avg`/`min`/`max` a field of one or `E: expression`."
        case .unknownFunction: return "A call of a function that does not exist; the help lists the functions, or a close name gets a fix-it."
        case .wrongArgumentCount: return "A function called with too many or too few arguments."
        case .wrongArgumentType: return "A function argument of the wrong type (text where a number belongs, decimals that are not whole)."
        case .aggregatesTooDeep: return "Aggregates nested more than 12 deep."
        case .aggregateOfNonNumber: return "`sum`, `avg` (or `min`/`max`, which also take dates) over values that are not numbers."
        case .letNamedLikeField: return "A let or measure with the name of a field of the rule's entity, which would hide the field."
        case .undefinedMeasure: return "`measure NAME` with no `= expression` and no let of that name."
        case .measureUnit: return "`measure … in UNIT` with a unit of another dimension than the measure's, or a unit on a measure that is not a number."
        case .adjustNonNumber: return "`adjust` of a field or measure that is not a number."
        case .unknownAdjustTarget: return "`adjust NAME` where NAME is not a field, let or measure of the rule. A close name gets a fix-it."
        case .badAdjustStep: return "An `adjust … by STEP` whose step is not positive or is in a unit of another dimension."
        case .letCycle: return "Lets that refer to each other in a circle (or a let that reads itself)."
        case .letChainTooDeep: return "Lets that read lets more than 64 deep, or whose expressions, read one inside another, nest more than 512 levels."
        case .givenValueType: return "A `given` value of the wrong type for its field (text for a number field, say)."
        case .testUnitMismatch: return "A `given` number or an `expect … adjust` amount in a unit of another dimension than its field's."
        case .unknownRuleCode: return "`expect CODE` naming no rule of the project. A close code gets a fix-it."
        case .unknownAdjust: return "`expect CODE adjust NAME` where the rule has no `adjust NAME`. A close name gets a fix-it."
        case .notOneOfValues: return "A text compared with a `text one of (…)` field that is none of its values: the comparison can never be true. A warning: the rules still run. A close value gets a fix-it."
        }
    }
}

/// Noun phrases the messages are built from ("expected a field name, …").
enum Words {
    static let unitName = Bilingual("单位名称", "a unit name")
    static let unitAlias = Bilingual("单位别名", "a unit alias")
    static let unit = Bilingual("单位", "a unit")
    static let number = Bilingual("数值", "a number")
    static let entityName = Bilingual("实体名称", "an entity name")
    static let fieldName = Bilingual("字段名", "a field name")
    static let value = Bilingual("取值", "a value")
    static let referencedEntity = Bilingual("被引用的实体", "the referenced entity")
    static let fieldType = Bilingual("字段类型（number、integer、text、bool、date 或 ref）", "a field type (number, integer, text, bool, date or ref)")
    static let declaration = Bilingual(" unit、entity、ruleset、waive 或 test", "unit, entity, ruleset, waive or test")
    static let ruleCode = Bilingual("规则编号（如 ZZ-01）", "a rule code (e.g. ZZ-01)")
    static let expression = Bilingual("表达式", "an expression")
    static let name = Bilingual("名称", "a name")
    static let version = Bilingual("版本", "a version")
    static let source = Bilingual("依据文件", "a source")
    static let owner = Bilingual("整改责任主体", "an owner")
    static let measureName = Bilingual("指标名称", "a measure name")
    static let adjustTarget = Bilingual("可调整的字段或指标", "a field or measure to adjust")
    static let citation = Bilingual("引用条款", "a citation")
    static let url = Bilingual("网址", "a URL")
    static let recordKey = Bilingual("记录标识", "a record key")
    static let reason = Bilingual("豁免理由", "a reason")
    static let testTitle = Bilingual("测试名称", "a test title")
    static let fieldOrMeasure = Bilingual("字段或指标", "a field or measure")
    static let text = Bilingual("文本", "text")
    static let date = Bilingual("日期", "a date")
    static let ifBranches = Bilingual("if 的两个分支", "the branches of if")
    static let matchArms = Bilingual("match 的各分支", "the arms of match")
    static let newline = Bilingual("换行", "end of line")
    static let endOfFile = Bilingual("文件结尾", "end of file")
    static func arguments(of f: String) -> Bilingual { Bilingual("\(f) 的参数", "the arguments of \(f)") }
    static func quoted(_ s: String) -> Bilingual { Bilingual("“\(s)”", "'\(s)'") }
    static let allowedInRuleset = "version source url for deadline owner let rule"
    static let allowedInRule = "severity for when let measure require adjust cite url message owner deadline"
    static let allowedInTest = "given expect waive"
}

extension Diagnostic {
    /// The help and fix-it of a misspelt name with one close match.
    static func didYouMean(_ s: String?, at r: SourceRange) -> (help: Bilingual?, fixes: [FixIt]) {
        guard let s else { return (nil, []) }
        return (Bilingual("是否想写 \(s)？", "did you mean \(s)?"), [FixIt(r, s)])
    }

    static func firstHere(_ r: SourceRange?, used: Bool = false) -> [DiagnosticLabel] {
        guard let r else { return [] }
        return [DiagnosticLabel(r, used ? Bilingual("首次使用在此", "first used here") : Bilingual("首次声明在此", "first declared here"))]
    }

    // MARK: E01 characters, numbers, strings

    static func unexpectedCharacter(_ c: Unicode.Scalar, at r: SourceRange) -> Diagnostic {
        let curly = c == "“" || c == "”"
        return Diagnostic(.unexpectedCharacter, r, Bilingual("无法识别的字符 “\(c)”", "unexpected character '\(c)'"),
                          help: curly ? Bilingual("字符串请使用半角双引号 \"", "use the ASCII double quote \" for strings") : nil,
                          fixes: curly ? [FixIt(r, "\"")] : [])
    }

    static func invalidDate(_ text: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.invalidDate, r, Bilingual("日期 \(text) 不存在", "\(text) is not a valid date"))
    }

    static func numberTooLarge(at r: SourceRange) -> Diagnostic {
        Diagnostic(.numberOutOfRange, r, Bilingual("数字过大，超出可表示的范围（约 1.8×10³⁰⁸）", "number too large: beyond the representable range (about 1.8e308)"),
                   help: Bilingual("换用更大的单位，或检查是否多写了位数", "use a larger unit, or check for extra digits"))
    }

    static func numberTooSmall(at r: SourceRange) -> Diagnostic {
        Diagnostic(.numberOutOfRange, r, Bilingual("数字过小，超出可表示的精度（约 2.2×10⁻³⁰⁸）", "number too small: below the representable precision (about 2.2e-308)"),
                   help: Bilingual("换用更小的单位，或检查是否多写了零", "use a smaller unit, or check for extra zeros"))
    }

    static func unknownEscape(at r: SourceRange) -> Diagnostic {
        Diagnostic(.unknownEscape, r, Bilingual("未知的转义序列", "unknown escape sequence"),
                   help: Bilingual("可用的转义：\\\" \\\\ \\n \\t \\{", "valid escapes: \\\" \\\\ \\n \\t \\{"))
    }

    static func unterminatedString(at r: SourceRange) -> Diagnostic {
        Diagnostic(.unterminatedString, r, Bilingual("字符串没有结束引号", "unterminated string"), help: Bilingual("在本行末尾补上 \"", "add a closing \" on this line"))
    }

    static func invalidUTF8(_ hex: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.invalidUTF8, r, Bilingual("无效的 UTF-8 字节 \(hex)", "invalid UTF-8 bytes \(hex)"),
                   help: Bilingual("规则文件须以 UTF-8 保存（在编辑器中“另存为 UTF-8”）", "save the rule file as UTF-8"))
    }

    static func unclosedInterpolation(at r: SourceRange) -> Diagnostic {
        Diagnostic(.unclosedInterpolation, r, Bilingual("插值缺少右花括号 }", "the interpolation has no closing }"),
                   help: Bilingual("写成 {字段名}；要显示花括号本身请写 \\{", "write {field}; for a literal brace write \\{"))
    }

    // MARK: E02 syntax

    /// `expected '{', found …` for one token the grammar requires.
    static func expectedToken(_ token: String, found: Bilingual, at r: SourceRange) -> Diagnostic {
        Diagnostic(.expected, r, Bilingual("这里应为 “\(token)”，却是 \(found.zh)", "expected '\(token)', found \(found.en)"))
    }

    /// `expected a field name, found …` for a kind of thing.
    static func expected(_ what: Bilingual, found: Bilingual, at r: SourceRange) -> Diagnostic {
        Diagnostic(.expected, r, Bilingual("这里应为\(what.zh)，却是 \(found.zh)", "expected \(what.en), found \(found.en)"))
    }

    static func expectedString(_ what: Bilingual, found: Bilingual, at r: SourceRange) -> Diagnostic {
        Diagnostic(.expected, r, Bilingual("这里应为\(what.zh)（带引号的字符串），却是 \(found.zh)", "expected \(what.en) (a quoted string), found \(found.en)"))
    }

    static func expectedLevel(at r: SourceRange) -> Diagnostic {
        Diagnostic(.expected, r, Bilingual("这里应为级别 error、warning 或 info", "expected a level: error, warning or info"))
    }

    static func withinTakesDays(at r: SourceRange) -> Diagnostic {
        Diagnostic(.expected, r, Bilingual("within 后应为天数（整数）", "within takes a whole number of days"))
    }

    static func deadlineTakesDate(at r: SourceRange) -> Diagnostic {
        Diagnostic(.expected, r, Bilingual("deadline 后应为日期（如 2025-06-30）或 within N days", "deadline takes a date (e.g. 2025-06-30) or within N days"))
    }

    static func adjustTakesDirection(at r: SourceRange) -> Diagnostic {
        Diagnostic(.expected, r, Bilingual("adjust 后应为 up 或 down", "adjust takes up or down"))
    }

    static func messageTakesString(at r: SourceRange) -> Diagnostic {
        Diagnostic(.expected, r, Bilingual("message 后应为字符串", "message takes a string"))
    }

    static func untilTakesDate(at r: SourceRange) -> Diagnostic {
        Diagnostic(.expected, r, Bilingual("until 后应为日期（如 2025-06-30）", "until takes a date (e.g. 2025-06-30)"))
    }

    static func givenValue(_ field: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.expected, r, Bilingual("字段 \(field) 的值应为数值、字符串、true/false 或日期", "the value of \(field) must be a number, string, true/false or date"))
    }

    static func expectedNotApplicable(at r: SourceRange) -> Diagnostic {
        Diagnostic(.expected, r, Bilingual("应为 not-applicable", "expected not-applicable"))
    }

    static func expectTakes(at r: SourceRange) -> Diagnostic {
        Diagnostic(.expected, r, Bilingual("expect 后应为 pass、fail [级别]、not-applicable、missing、undefined、waived 或 adjust 字段 ±数值",
                                      "expect takes pass, fail [level], not-applicable, missing, undefined, waived or adjust FIELD ±N"))
    }

    static func keywordAsName(_ k: String, _ what: Bilingual, at r: SourceRange) -> Diagnostic {
        Diagnostic(.keywordAsName, r, Bilingual("“\(k)” 是关键字，不能用作\(what.zh)", "'\(k)' is a keyword and cannot be used as \(what.en)"),
                   help: Bilingual("换一个名称，例如 \(k)_ 或中文名称", "choose another name, e.g. \(k)_"))
    }

    static func statementNotEnded(found: Bilingual, at r: SourceRange) -> Diagnostic {
        Diagnostic(.statementNotEnded, r, Bilingual("多余的内容 \(found.zh)：一条语句应在此结束", "unexpected \(found.en): the statement should end here"))
    }

    static func unclosedBlock(_ block: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.unclosedBlock, r, Bilingual("\(block) 块没有结束的 “}”", "the \(block) block has no closing '}'"))
    }

    static func ruleOutsideRuleset(at r: SourceRange) -> Diagnostic {
        Diagnostic(.ruleOutsideRuleset, r, Bilingual("规则必须写在 ruleset 块内", "a rule must be inside a ruleset block"),
                   help: Bilingual("ruleset 编号 \"标题\" { for 实体 … rule … }", "ruleset id \"title\" { for entity … rule … }"))
    }

    static func badUnitExponent(at r: SourceRange) -> Diagnostic {
        Diagnostic(.badUnitExponent, r, Bilingual("单位的幂应为 1 到 9 的整数", "a unit exponent must be a whole number from 1 to 9"))
    }

    static func nestedTooDeeply(_ limit: Int, at r: SourceRange) -> Diagnostic {
        Diagnostic(.nestedTooDeeply, r, Bilingual("表达式嵌套过深（超过 \(limit) 层）", "expression nested too deeply (more than \(limit) levels)"),
                   help: Bilingual("用 let 把表达式拆成几部分", "split the expression into several lets"))
    }

    static func chainedComparison(at r: SourceRange) -> Diagnostic {
        Diagnostic(.chainedComparison, r, Bilingual("比较不能连写", "comparisons do not chain"),
                   help: Bilingual("用 and 连接两个比较，或使用 x between a and b", "join two comparisons with and, or use x between a and b"))
    }

    static func keywordInExpression(_ k: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.keywordInExpression, r, Bilingual("关键字 “\(k)” 不能出现在表达式的这个位置", "the keyword '\(k)' cannot stand here in an expression"))
    }

    /// Something that is not an item of a `ruleset`, `rule` or `test` block.
    static func unexpectedItem(_ found: Bilingual, in block: String, allowed: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.unexpectedItem, r, Bilingual("\(block) 中不能出现 \(found.zh)", "unexpected \(found.en) in a \(block)"),
                   help: Bilingual("可用：\(allowed)", "allowed: \(allowed)"))
    }

    static func ruleWithoutRequire(_ code: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.ruleWithoutRequire, r, Bilingual("规则 \(code) 没有 require", "rule \(code) has no require"),
                   help: Bilingual("每条规则至少需要一个 require", "every rule needs at least one require"))
    }

    static func interpolationTrailingText(at r: SourceRange) -> Diagnostic {
        Diagnostic(.interpolationTrailingText, r, Bilingual("插值表达式中有多余内容", "unexpected text in the interpolated expression"))
    }

    // MARK: E03 url items

    static func url(_ problem: URLItemCheck.Problem.Kind, at r: SourceRange) -> Diagnostic {
        switch problem {
        case .space:
            return Diagnostic(.urlCharacter, r, Bilingual("网址中不能有空格", "a URL cannot contain a space"),
                              help: Bilingual("空格写作 %20", "write a space as %20"), fixes: [FixIt(r, "%20")])
        case .control(let name):
            return Diagnostic(.urlCharacter, r, Bilingual("网址中不能有控制字符 \(name)", "a URL cannot contain the control character \(name)"),
                              help: Bilingual("删去该字符", "remove the character"), fixes: [FixIt(r, "")])
        case .backslash:
            return Diagnostic(.urlCharacter, r, Bilingual("网址中不能有反斜杠或转义序列", "a URL cannot contain a backslash or an escape sequence"),
                              help: Bilingual("路径用 /；其他字符写作 %XX", "paths use /; write other characters as %XX"))
        case .notEncoded(let c, let encoded):
            return Diagnostic(.urlCharacter, r, Bilingual("网址中的 “\(c)” 须先按 UTF-8 百分号编码", "'\(c)' must be percent-encoded (UTF-8) in a URL"),
                              help: Bilingual("写作 \(encoded)；从浏览器地址栏复制的网址通常已编码", "write \(encoded); a URL copied from the address bar usually is"),
                              fixes: [FixIt(r, encoded)])
        case .badPercent:
            return Diagnostic(.urlCharacter, r, Bilingual("“%” 后应为两位十六进制数字", "'%' must be followed by two hex digits"),
                              help: Bilingual("“%” 本身写作 %25", "write '%' itself as %25"))
        case .notAllowed(let c, let encoded):
            return Diagnostic(.urlCharacter, r, Bilingual("字符 “\(c)” 不能出现在网址中", "the character '\(c)' cannot appear in a URL"),
                              help: Bilingual("写作 \(encoded)", "write \(encoded)"), fixes: [FixIt(r, encoded)])
        case .hostNotPunycode(let c):
            return Diagnostic(.urlHostNotPunycode, r, Bilingual("主机名中的 “\(c)” 须写成 Punycode", "'\(c)' in a host name must be written in Punycode"),
                              help: Bilingual("中文域名写作 xn-- 开头的形式（浏览器地址栏复制即是）", "write the xn-- form of the domain (as the address bar copies it)"))
        case .notAbsolute:
            return Diagnostic(.urlNotAbsolute, r, Bilingual("url 须为 http:// 或 https:// 开头的绝对网址", "url must be an absolute URL starting with http:// or https://"),
                              help: Bilingual("例如 url \"https://www.moe.gov.cn/\"", "e.g. url \"https://www.moe.gov.cn/\""))
        case .noHost:
            return Diagnostic(.urlNotAbsolute, r, Bilingual("网址缺少主机名", "the URL has no host"),
                              help: Bilingual("例如 url \"https://www.moe.gov.cn/\"", "e.g. url \"https://www.moe.gov.cn/\""))
        }
    }

    // MARK: E04 declarations

    static func rulesetDeclaredTwice(_ id: String, at r: SourceRange, first: SourceRange) -> Diagnostic {
        Diagnostic(.duplicateDeclaration, r, Bilingual("规则集 \(id) 重复声明", "ruleset \(id) is declared twice"), secondary: firstHere(first))
    }

    static func ruleCodeUsedTwice(_ code: String, at r: SourceRange, first: SourceRange) -> Diagnostic {
        Diagnostic(.duplicateDeclaration, r, Bilingual("规则编号 \(code) 重复", "rule code \(code) is used twice"), secondary: firstHere(first, used: true),
                   notes: [Bilingual("规则编号在整个项目中必须唯一", "rule codes are unique across the project")])
    }

    static func entityDeclaredTwice(_ name: String, at r: SourceRange, first: SourceRange?) -> Diagnostic {
        Diagnostic(.duplicateDeclaration, r, Bilingual("实体 \(name) 重复声明", "entity \(name) is declared twice"), secondary: firstHere(first))
    }

    static func fieldDeclaredTwice(_ name: String, at r: SourceRange, first: SourceRange) -> Diagnostic {
        Diagnostic(.duplicateDeclaration, r, Bilingual("字段 \(name) 重复声明", "field \(name) is declared twice"), secondary: firstHere(first))
    }

    static func displayDeclaredTwice(_ role: String, at r: SourceRange, first: SourceRange) -> Diagnostic {
        Diagnostic(.duplicateDeclaration, r, Bilingual("display \(role) 重复声明", "display \(role) is declared twice"), secondary: firstHere(first))
    }

    static func displayFieldNotText(_ role: String, field: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.displayFieldNotText, r, Bilingual("display \(role) 须是文本字段，\(field) 不是", "display \(role) takes a text field; \(field) is not one"),
                   help: Bilingual(role == "name" ? "记录的名称，例如 display name name" : "记录所在的市州，例如 display region city",
                              role == "name" ? "the record's name, e.g. display name name" : "the record's region (市州), e.g. display region city"))
    }

    static func unitDeclaredTwice(_ name: String, at r: SourceRange, first: SourceRange) -> Diagnostic {
        Diagnostic(.duplicateDeclaration, r, Bilingual("单位 \(name) 重复声明", "unit \(name) is declared twice"), secondary: firstHere(first))
    }

    /// A let or measure named twice in a ruleset, or (with `rule`) in one rule.
    static func definedTwice(_ name: String, inRule rule: String?, at r: SourceRange, first: SourceRange?) -> Diagnostic {
        let m = rule.map { Bilingual("名称 \(name) 在规则 \($0) 中重复定义", "\(name) is defined twice in rule \($0)") }
            ?? Bilingual("名称 \(name) 重复定义", "\(name) is defined twice")
        return Diagnostic(.duplicateDeclaration, r, m, secondary: firstHere(first))
    }

    static func rulesetWithoutFor(_ id: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.rulesetWithoutFor, r, Bilingual("规则集 \(id) 没有 for 子句", "ruleset \(id) has no for clause"),
                   help: Bilingual("写明规则适用的实体，例如 for school where level == \"中职\"", "name the entity, e.g. for school where level == \"中职\""))
    }

    static func fieldNamedLikeEntity(_ name: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.fieldNamedLikeEntity, r, Bilingual("字段名 \(name) 与实体同名", "field \(name) has the name of an entity"),
                   help: Bilingual("换一个字段名，例如 \(name)_code", "rename the field, e.g. \(name)_code"))
    }

    static func unknownEntity(_ name: String, at r: SourceRange, suggestion: String?) -> Diagnostic {
        let (help, fixes) = didYouMean(suggestion, at: r)
        return Diagnostic(.unknownEntity, r, Bilingual("未声明的实体 “\(name)”", "unknown entity '\(name)'"), help: help, fixes: fixes)
    }

    static func secondKeyField(_ entity: String, at r: SourceRange, first: SourceRange?) -> Diagnostic {
        Diagnostic(.secondKeyField, r, Bilingual("实体 \(entity) 只能有一个 key 字段", "entity \(entity) can have only one key field"),
                   secondary: first.map { [DiagnosticLabel($0, Bilingual("key 字段已在此声明", "the key field is declared here"))] } ?? [])
    }

    static func unitCycle(_ name: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.unitCycle, r, Bilingual("单位 \(name) 的定义循环引用自身", "unit \(name) is defined in terms of itself"))
    }

    static func unknownUnit(_ name: String, at r: SourceRange, suggestion: String?) -> Diagnostic {
        let (help, fixes) = didYouMean(suggestion, at: r)
        return Diagnostic(.unknownUnit, r, Bilingual("未声明的单位 “\(name)”", "unknown unit '\(name)'"),
                          help: help ?? Bilingual("先用 unit \(name) 声明这个单位", "declare it first: unit \(name)"), fixes: fixes)
    }

    static func unitFactorNotPositive(at r: SourceRange) -> Diagnostic {
        Diagnostic(.unitFactorNotPositive, r, Bilingual("单位换算系数必须为正数", "a unit's factor must be positive"))
    }

    static func baselessUnitNotOne(_ name: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.baselessUnitNotOne, r, Bilingual("无量纲单位只能定义为 = 1", "a unit without a base unit must be = 1 (a counting unit)"),
                   help: Bilingual("计数单位写作 unit \(name) = 1；换算单位写作 unit \(name) = 10000 元", "write unit \(name) = 1, or scale another unit: = 10000 元"))
    }

    static func unitScaleOutOfRange(at r: SourceRange) -> Diagnostic {
        Diagnostic(.unitScaleOutOfRange, r, Bilingual("单位换算系数超出可表示的范围（须在约 2.2×10⁻³⁰⁸ 到 1.8×10³⁰⁸ 之间）",
                                                 "the unit's factor is out of range (it must lie between about 2.2e-308 and 1.8e308)"),
                   help: Bilingual("换算系数应为实际的倍数，如 unit 万元 = 10000 元", "a factor is a real multiple, e.g. unit 万元 = 10000 元"))
    }

    static func valueOutOfRange(at r: SourceRange) -> Diagnostic {
        Diagnostic(.valueOutOfRange, r, Bilingual("换算为基本单位后，这个数超出可表示的范围", "in base units this number is out of range"),
                   help: Bilingual("换用合适的单位，或检查数值与单位", "use a fitting unit, or check the number and its unit"))
    }

    // MARK: E05 expressions

    static func notACondition(_ what: Bilingual, found: Bilingual, isNumber: Bool, at r: SourceRange) -> Diagnostic {
        Diagnostic(.notACondition, r, Bilingual("\(what.zh) 需要一个真假值（条件），这里是\(found.zh)", "\(what.en) needs a condition (bool), this is \(found.en)"),
                   help: isNumber ? Bilingual("写成比较，例如 … >= 20", "write a comparison, e.g. … >= 20") : nil)
    }

    static func bareEntityName(_ n: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.bareEntityName, r, Bilingual("实体名 \(n) 不能单独使用", "the entity name \(n) cannot stand alone"),
                   help: Bilingual("用 \(n).字段 读取字段，或用 count(\(n) where …) 等聚合", "use \(n).field, or an aggregate such as count(\(n) where …)"))
    }

    static func bareThis(at r: SourceRange) -> Diagnostic {
        Diagnostic(.bareEntityName, r, Bilingual("this 只能以 this.字段 的形式使用", "this is used as this.field"))
    }

    static func unknownName(_ n: String, scopes: [String], at r: SourceRange, suggestion: String?) -> Diagnostic {
        let (help, fixes) = didYouMean(suggestion, at: r)
        let s = scopes.joined(separator: "、")
        return Diagnostic(.unknownName, r, Bilingual("未知的名称 “\(n)”（不是 \(s) 的字段，也不是 let 或 measure）", "unknown name '\(n)' (not a field of \(s), nor a let or measure)"),
                          help: help, fixes: fixes)
    }

    static func unknownField(_ field: String, of entity: String, at r: SourceRange, suggestion: String?) -> Diagnostic {
        let (help, fixes) = didYouMean(suggestion, at: r)
        return Diagnostic(.unknownField, r, Bilingual("实体 \(entity) 没有字段 “\(field)”", "entity \(entity) has no field '\(field)'"), help: help, fixes: fixes)
    }

    static func prevWithoutKey(_ entity: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.prevWithoutKey, r, Bilingual("实体 \(entity) 没有 key 字段，无法使用 prev", "entity \(entity) has no key field, so prev cannot find last period's record"))
    }

    static func entityNotInScope(_ n: String, scopes: [String], at r: SourceRange) -> Diagnostic {
        Diagnostic(.entityNotInScope, r, Bilingual("实体 \(n) 不在当前作用域（当前记录是 \(scopes.joined(separator: "、"))）",
                                              "entity \(n) is not in scope here (the records in scope: \(scopes.joined(separator: ", ")))"),
                   help: Bilingual("读取其他实体的记录请用 ref 字段或聚合，例如 count(\(n) where …)", "reach other entities through a ref field or an aggregate, e.g. count(\(n) where …)"))
    }

    static func memberOfNonRecord(found: Bilingual, at r: SourceRange) -> Diagnostic {
        Diagnostic(.memberOfNonRecord, r, Bilingual("只有 ref 字段、实体名、this 和 prev 可以用 “.字段”，这里是\(found.zh)",
                                               "only a ref field, an entity name, this or prev can be followed by .field; this is \(found.en)"))
    }

    static func boolsHaveNoOrder(at r: SourceRange) -> Diagnostic {
        Diagnostic(.noOrder, r, Bilingual("真假值不能比较大小", "bools have no order"))
    }

    static func textHasNoOrder(at r: SourceRange) -> Diagnostic {
        Diagnostic(.noOrder, r, Bilingual("文本只能比较是否相等（== 或 !=）", "text can only be compared for equality (== or !=)"))
    }

    static func incomparable(_ a: Bilingual, _ b: Bilingual, at r: SourceRange) -> Diagnostic {
        Diagnostic(.incomparable, r, Bilingual("不能比较\(a.zh)和\(b.zh)", "cannot compare \(a.en) with \(b.en)"))
    }

    /// Units of different dimensions meet. With `bare`, one side is a
    /// number written without a unit: the diagnostic points at it and the
    /// fix adds the other side's unit.
    static func unitMismatch(_ x: String, _ y: String, at r: SourceRange,
                             bare: (literal: String, range: SourceRange, unit: String, other: SourceRange)?) -> Diagnostic {
        let m = Bilingual("单位不一致：\(x) 与 \(y)", "unit mismatch: \(x) against \(y)")
        guard let b = bare else { return Diagnostic(.unitMismatch, r, m) }
        return Diagnostic(.unitMismatch, b.range, m, label: Bilingual("没有单位", "no unit"),
                          secondary: [DiagnosticLabel(b.other, Bilingual("单位是 \(b.unit)", "in \(b.unit)"))],
                          help: Bilingual("写成 \(b.literal) \(b.unit)", "write \(b.literal) \(b.unit)"),
                          fixes: [FixIt(SourceRange(file: b.range.file, start: b.range.end, end: b.range.end), " " + b.unit)])
    }

    static func branchUnitMismatch(_ what: Bilingual, _ x: String, _ y: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.branchUnitMismatch, r, Bilingual("\(what.zh)单位不一致：\(x) 与 \(y)", "\(what.en) disagree in unit: \(x) and \(y)"))
    }

    static func branchTypeMismatch(_ what: Bilingual, _ a: Bilingual, _ b: Bilingual, at r: SourceRange) -> Diagnostic {
        Diagnostic(.branchTypeMismatch, r, Bilingual("\(what.zh)类型不一致：\(a.zh) 与 \(b.zh)", "\(what.en) disagree in type: \(a.en) and \(b.en)"))
    }

    static func negateNonNumber(found: Bilingual, at r: SourceRange) -> Diagnostic {
        Diagnostic(.arithmeticOnNonNumber, r, Bilingual("负号只能用于数值，这里是\(found.zh)", "unary minus needs a number, this is \(found.en)"))
    }

    static func arithmeticOnNonNumber(_ op: String, found: Bilingual, at r: SourceRange) -> Diagnostic {
        Diagnostic(.arithmeticOnNonNumber, r, Bilingual("算术运算 \(op) 需要数值，这里是\(found.zh)", "arithmetic \(op) needs numbers, this is \(found.en)"))
    }

    // MARK: E06 functions and aggregates

    static func notAnAggregate(_ f: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.notAnAggregate, r, Bilingual("\(f) 不是聚合函数，不能使用 where 或 “实体:”", "\(f) is not an aggregate; it takes no where or 'E:'"),
                   help: Bilingual("聚合函数：count sum avg min max any all", "aggregates: count sum avg min max any all"))
    }

    /// `count(5)`: an aggregate of something that is not an entity.
    static func aggregateNeedsEntity(_ f: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.aggregateArgument, r, Bilingual("\(f) 的参数应为实体名，例如 \(f)(placement where …)", "\(f) takes an entity, e.g. \(f)(placement where …)"))
    }

    static func aggregateTakesOneExpression(_ f: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.aggregateArgument, r, Bilingual("\(f)(实体: 表达式 …) 只接受一个表达式", "\(f)(E: expr …) takes one expression"))
    }

    static func aggregateArgument(_ f: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.aggregateArgument, r, Bilingual("\(f) 的参数应为实体（count(E where …)）或实体的字段（sum(E.field where …)、sum(E: 表达式 where …)）",
                                               "\(f) takes an entity (count(E where …)) or a field of one (sum(E.field where …), sum(E: expr where …))"))
    }

    static func aggregateOverRecords(_ f: String, entity: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.aggregateArgument, r, Bilingual("\(f) 按记录计数或判断，参数应为实体名", "\(f) ranges over records; pass the entity name"),
                   help: Bilingual("写成 \(f)(\(entity) where 条件)", "write \(f)(\(entity) where condition)"))
    }

    static func aggregateNeedsValue(_ f: String, entity: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.aggregateArgument, r, Bilingual("\(f) 需要被汇总的字段", "\(f) needs a value to aggregate"),
                   help: Bilingual("写成 \(f)(\(entity).字段 …) 或 \(f)(\(entity): 表达式 …)", "write \(f)(\(entity).field …) or \(f)(\(entity): expr …)"))
    }

    static func unknownFunction(_ f: String, known: [String], at r: SourceRange, suggestion: String?) -> Diagnostic {
        let (help, fixes) = didYouMean(suggestion, at: r)
        return Diagnostic(.unknownFunction, r, Bilingual("未知的函数 “\(f)”", "unknown function '\(f)'"),
                          help: help ?? Bilingual("可用函数：\(known.joined(separator: " "))", "functions: \(known.joined(separator: " "))"), fixes: fixes)
    }

    static func wrongArgumentCount(_ f: String, arity: ClosedRange<Int>, given: Int, at r: SourceRange) -> Diagnostic {
        let (lo, hi) = (arity.lowerBound, arity.upperBound)
        let want = lo == hi ? "\(lo)" : hi > 100 ? "至少 \(lo)" : "\(lo)–\(hi)"
        let wantEn = lo == hi ? "\(lo)" : hi > 100 ? "at least \(lo)" : "\(lo)–\(hi)"
        return Diagnostic(.wrongArgumentCount, r, Bilingual("\(f) 需要 \(want) 个参数，这里有 \(given) 个", "\(f) takes \(wantEn) arguments, not \(given)"))
    }

    static func wrongArgumentType(_ f: String, index i: Int, want: Bilingual, found: Bilingual, at r: SourceRange) -> Diagnostic {
        Diagnostic(.wrongArgumentType, r, Bilingual("\(f) 的第 \(i + 1) 个参数应为\(want.zh)，这里是\(found.zh)", "argument \(i + 1) of \(f) must be \(want.en), this is \(found.en)"))
    }

    static func decimalsArgument(_ f: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.wrongArgumentType, r, Bilingual("\(f) 的第二个参数应为小数位数（整数）", "the second argument of \(f) is a number of decimals (whole)"))
    }

    static func aggregatesTooDeep(_ limit: Int, at r: SourceRange) -> Diagnostic {
        Diagnostic(.aggregatesTooDeep, r, Bilingual("聚合嵌套过深（最多 \(limit) 层）", "aggregates nested too deeply (at most \(limit))"))
    }

    static func aggregateOfNonNumber(_ f: String, found: Bilingual, at r: SourceRange) -> Diagnostic {
        Diagnostic(.aggregateOfNonNumber, r, Bilingual("\(f) 只能汇总数值，这里是\(found.zh)", "\(f) aggregates numbers, this is \(found.en)"))
    }

    // MARK: E07 rules

    static func letNamedLikeField(_ name: String, entity: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.letNamedLikeField, r, Bilingual("名称 \(name) 与实体 \(entity) 的字段同名", "\(name) has the name of a field of \(entity)"),
                   help: Bilingual("换一个名称，字段可直接使用", "choose another name; the field can be used directly"))
    }

    static func undefinedMeasure(_ name: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.undefinedMeasure, r, Bilingual("指标 \(name) 没有定义", "measure \(name) is not defined"),
                   help: Bilingual("写成 measure \(name) = 表达式，或先用 let 定义它", "write measure \(name) = EXPR, or define it with let"))
    }

    static func measureUnit(_ name: String, in unit: String, shownIn shown: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.measureUnit, r, Bilingual("指标 \(name) 的单位是 \(unit)，不能以 \(shown) 显示", "measure \(name) is in \(unit) and cannot be shown in \(shown)"))
    }

    static func unitOnNonNumericMeasure(at r: SourceRange) -> Diagnostic {
        Diagnostic(.measureUnit, r, Bilingual("只有数值指标可以指定单位", "only a numeric measure has a unit"))
    }

    static func adjustNonNumber(_ name: String, isField: Bool, at r: SourceRange) -> Diagnostic {
        Diagnostic(.adjustNonNumber, r, Bilingual(isField ? "只能调整数值字段，\(name) 不是数值" : "只能调整数值，\(name) 不是数值",
                                             "only numbers can be adjusted; \(name) is not a number"))
    }

    static func unknownAdjustTarget(_ name: String, at r: SourceRange, suggestion: String?) -> Diagnostic {
        let (help, fixes) = didYouMean(suggestion, at: r)
        return Diagnostic(.unknownAdjustTarget, r, Bilingual("adjust 的对象 “\(name)” 不是字段，也不是 let 或 measure", "'\(name)' is not a field, let or measure"),
                          help: help, fixes: fixes)
    }

    static func stepUnitMismatch(_ step: String, target: String, unit: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.badAdjustStep, r, Bilingual("步长的单位 \(step) 与 \(target) 的单位 \(unit) 不一致", "the step's unit \(step) does not match \(target)'s unit \(unit)"))
    }

    static func stepNotPositive(at r: SourceRange) -> Diagnostic {
        Diagnostic(.badAdjustStep, r, Bilingual("步长必须为正数", "the step must be positive"))
    }

    static func letCycle(_ name: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.letCycle, r, Bilingual("let \(name) 循环引用自身", "let \(name) refers to itself in a cycle"),
                   help: Bilingual("let 之间不能循环引用", "lets may not refer to each other in a cycle"))
    }

    static func letChainTooLong(_ limit: Int, at r: SourceRange) -> Diagnostic {
        Diagnostic(.letChainTooDeep, r, Bilingual("let 之间的引用链过长（超过 \(limit) 层）", "lets refer to lets more than \(limit) levels deep"),
                   help: Bilingual("减少 let 之间的层层引用", "flatten the chain of lets"))
    }

    static func letsNestTooDeeply(_ limit: Int, at r: SourceRange) -> Diagnostic {
        Diagnostic(.letChainTooDeep, r, Bilingual("let 之间层层引用，表达式合计嵌套过深（超过 \(limit) 层）",
                                             "lets read lets so deeply that their expressions nest more than \(limit) levels"),
                   help: Bilingual("减少 let 之间的层层引用，或把长表达式拆短", "flatten the chain of lets, or shorten the long expressions"))
    }

    // MARK: E08 tests

    static func givenValueType(_ field: String, fieldType: Bilingual, at r: SourceRange) -> Diagnostic {
        Diagnostic(.givenValueType, r, Bilingual("字段 \(field) 的值类型不对", "the value of \(field) has the wrong type"),
                   help: Bilingual("\(field) 是\(fieldType.zh)", "\(field) is \(fieldType.en)"))
    }

    static func testUnitMismatch(_ unit: String, target: String, isField: Bool, targetUnit: String, at r: SourceRange) -> Diagnostic {
        Diagnostic(.testUnitMismatch, r, Bilingual("单位 \(unit) 与\(isField ? "字段 " : "")\(target) 的单位 \(targetUnit) 不一致", "unit \(unit) does not match \(target)'s unit \(targetUnit)"))
    }

    static func unknownRuleCode(_ code: String, at r: SourceRange, suggestion: String?) -> Diagnostic {
        let (help, fixes) = didYouMean(suggestion, at: r)
        return Diagnostic(.unknownRuleCode, r, Bilingual("没有编号为 \(code) 的规则", "no rule has the code \(code)"), help: help, fixes: fixes)
    }

    static func unknownAdjust(_ name: String, rule: String, at r: SourceRange, suggestion: String?) -> Diagnostic {
        let (help, fixes) = didYouMean(suggestion, at: r)
        return Diagnostic(.unknownAdjust, r, Bilingual("规则 \(rule) 没有 adjust \(name)", "rule \(rule) has no adjust \(name)"), help: help, fixes: fixes)
    }

    // MARK: W warnings

    static func notOneOfValues(_ value: String, field: String, allowed: [String], at r: SourceRange, suggestion: String?) -> Diagnostic {
        Diagnostic(.notOneOfValues, r, Bilingual("“\(value)” 不是字段 \(field) 的可选值（\(allowed.joined(separator: "、"))）",
                                            "\"\(value)\" is not one of the values of \(field) (\(allowed.joined(separator: ", ")))"),
                   help: suggestion.map { Bilingual("是否想写 \"\($0)\"？", "did you mean \"\($0)\"?") },
                   fixes: suggestion.map { [FixIt(r, stringLiteral($0))] } ?? [])
    }

    /// `s` as a rule-language string literal.
    static func stringLiteral(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "{": out += "\\{"
            case "}": out += "\\}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
