import XCTest
@testable import DabiaoCore

/// Each builtin is defined once (`Check/Builtins.swift`): the checker types
/// every call from its signature and the engine evaluates it from the same
/// definition. These tests walk the table, so a function added there is
/// checked without a line here.
final class BuiltinTests: XCTestCase {
    static let schema = """
    unit 元
    unit 人 = 1
    entity item "项目" {
      key code : text "代码"
      a : number 元 "金额"
      n : integer 人 "人数"
      d : date "日期"
      s : text "名称"
    }

    """

    static func rules(_ expr: String) -> String {
        schema + """
        ruleset f "函数" {
          for item
          rule F-1 "调用" {
            measure m = \(expr)
            require present(m)
          }
        }

        """
    }

    /// An argument of the kind the signature asks for.
    static func argument(_ kind: Builtin.Argument) -> String {
        switch kind {
        case .number, .numberOrDate, .any: return "a"
        case .date: return "d"
        case .text: return "s"
        case .decimals: return "1"
        }
    }

    /// An argument of another kind than the signature asks for, nil when any will do.
    static func wrong(_ kind: Builtin.Argument) -> String? {
        switch kind {
        case .number, .numberOrDate, .date: return "s"
        case .text: return "a"
        case .decimals: return "1.5"
        case .any: return nil
        }
    }

    func testEveryBuiltinTypeChecksWithTheArgumentsItsSignatureNames() throws {
        for b in Builtin.allCases {
            let sig = b.signature
            let args = (0..<sig.arity.lowerBound).map { Self.argument(sig.argument($0)) }
            let (p, diags, _) = Core.compile(Self.rules("\(b.rawValue)(\(args.joined(separator: ", ")))"))
            XCTAssertNotNil(p, "\(b.rawValue): \(diags.map(\.message))")
        }
    }

    func testArityAndArgumentKindsComeFromTheSignature() throws {
        for b in Builtin.allCases {
            let sig = b.signature
            if sig.arity.upperBound < 100 {
                let args = (0...sig.arity.upperBound).map { Self.argument(sig.argument($0)) }
                let (_, out) = Core.rendered(Self.rules("\(b.rawValue)(\(args.joined(separator: ", ")))"))
                XCTAssertTrue(out.contains("\(b.rawValue) takes") && out.contains("arguments, not \(args.count)"), "\(b.rawValue): \(out)")
            }
            for i in 0..<sig.arity.lowerBound {
                guard let bad = Self.wrong(sig.argument(i)) else { continue }
                var args = (0..<sig.arity.lowerBound).map { Self.argument(sig.argument($0)) }
                args[i] = bad
                let (errors, out) = Core.rendered(Self.rules("\(b.rawValue)(\(args.joined(separator: ", ")))"))
                XCTAssertFalse(errors.isEmpty, "\(b.rawValue) with \(args) must not type-check")
                XCTAssertTrue(out.contains("of \(b.rawValue)"), "\(b.rawValue) argument \(i + 1): \(out)")
            }
        }
    }

    func testUnknownFunctionListsEveryBuiltinAndAggregateOnce() throws {
        let (_, out) = Core.rendered(Self.rules("zzzz(a)"))
        let builtins = Builtin.allCases.map(\.rawValue)
        let expected = builtins + AggregateKind.allCases.map(\.rawValue).filter { !builtins.contains($0) }
        XCTAssertTrue(out.contains("functions: " + expected.joined(separator: " ")), out)
    }

    func testCountOfSomethingThatIsNotAnEntitySaysSo() throws {
        let (errors, out) = Core.rendered(Self.rules("count(5)"))
        XCTAssertEqual(errors.count, 1, out)
        XCTAssertTrue(out.contains("count takes an entity"), out)
        XCTAssertFalse(out.contains("unknown function"), out)
    }
}
