import XCTest
@testable import DabiaoCore

/// Fixtures of the input tests: Tests/DabiaoCoreTests/Fixtures/input, made by make_fixtures.py there.
enum InputFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/input")

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static var rules: String { path("school.rules") }

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(relative)))
    }

    static let asOf = CivilDate.days(year: 2024, month: 10, day: 31) ?? 0

    static func program(file: StaticString = #filePath, line: UInt = #line) throws -> Program {
        let text = try String(contentsOfFile: rules, encoding: .utf8)
        return try Core.program(text, file: file, line: line)
    }

    /// `dabiao check --rules school.rules --data school=PATH` as a report.
    static func check(_ relative: String, encoding: TextEncodingKind? = nil) throws -> Report {
        var request = Pipeline.DataRequest()
        request.explicit = [("school", path(relative))]
        request.encoding = encoding
        let report = try Pipeline.check(rules: [rules], data: request, options: RunOptions(asOf: asOf, showAll: true, workers: 1))
        return report
    }

    /// The JSON report with each input's path and checksum replaced, so
    /// reports of the same data in different files can be compared byte for byte.
    static func normalisedJSON(_ report: Report) -> String {
        var json = JSONReport.render(report)
        for (i, input) in report.inputs.enumerated() {
            json = json.replacingOccurrences(of: "\"\(input.sha256)\"", with: "\"<sha256-\(i)>\"")
            json = json.replacingOccurrences(of: "\"\(input.path)\"", with: "\"<input-\(i)>\"")
        }
        return json
    }

    /// Loads one input of `school` from bytes, as `DataLoader.load` does for a file.
    static func load(_ program: Program, bytes: [UInt8], path: String, sheet: String? = nil,
                     encoding: TextEncodingKind? = nil) throws -> Dataset {
        var loader = DataLoader(program: program)
        let e = try Core.entity(program, "school")
        try loader.load(bytes: bytes, spec: InputSpec(entity: e, path: path, sheet: sheet), encoding: encoding)
        return loader.dataset
    }

    static func load(_ program: Program, fixture: String, sheet: String? = nil, encoding: TextEncodingKind? = nil) throws -> Dataset {
        try load(program, bytes: try bytes(fixture), path: fixture, sheet: sheet, encoding: encoding)
    }

    /// Field values of one record by key, as text: numbers in base units
    /// (`%g`-free, plain `Double` description), bools `true`/`false`, dates
    /// ISO, texts as they are, missing values `nil`.
    static func values(_ program: Program, _ data: Dataset, key: String) throws -> [String: String] {
        let e = try Core.entity(program, "school")
        let table = data.tables[e]
        guard let r = table.row(forKey: key) else {
            XCTFail("no record \(key)")
            return [:]
        }
        var out: [String: String] = [:]
        for (fi, f) in program.entities[e].fields.enumerated() {
            let column = table.columns[fi]
            guard r < column.count, !column.isMissing(r) else {
                out[f.name] = "nil"
                continue
            }
            let v = column[r]
            switch f.kind {
            case .number: out[f.name] = "\(v)"
            case .bool: out[f.name] = v == 1 ? "true" : "false"
            case .date: out[f.name] = formatISODate(days: Int(v))
            case .text, .ref: out[f.name] = column.text(r) ?? "?"
            }
        }
        return out
    }
}

extension Column {
    /// Every row as a Double (NaN: missing), for assertions on whole columns.
    var all: [Double] { values(in: 0..<count) }
}
