/// One column of an entity's records. Every value is a Double so a column is
/// one flat array whatever its type: numbers in base units, bools as 0/1,
/// dates as days since 1970-01-01, texts as codes into `strings`. NaN marks a
/// missing value (a parsed number is never NaN).
public struct Column: Sendable {
    public var values: [Double] = []
    /// Distinct texts of a text or ref column, in order of first appearance.
    public var strings: [String] = []
    public var codes: [String: Int32] = [:]

    public init() {}

    @inline(__always) public func isMissing(_ row: Int) -> Bool { values[row].isNaN }

    public func text(_ row: Int) -> String? {
        let v = values[row]
        guard !v.isNaN else { return nil }
        let c = Int(v)
        return c >= 0 && c < strings.count ? strings[c] : nil
    }

    public mutating func appendText(_ s: String) {
        if let c = codes[s] {
            values.append(Double(c))
        } else {
            let c = Int32(strings.count)
            strings.append(s)
            codes[s] = c
            values.append(Double(c))
        }
    }

    public mutating func appendMissing() { values.append(.nan) }
    public mutating func append(_ v: Double) { values.append(v) }

    mutating func removeLast() {
        values.removeLast()
    }
}

/// Where a record came from, for every report that points back at the data.
public struct RecordSource: Sendable, Equatable {
    public var input: Int
    public var line: Int
}

/// The records of one entity, columnar.
public struct Table: Sendable {
    public var entity: Int
    public var columns: [Column]
    public var sources: [RecordSource] = []
    /// Key text → row, for `ref` lookups, `prev` and duplicate detection.
    public var keyRows: [String: Int32] = [:]

    public init(entity: Int, fieldCount: Int) {
        self.entity = entity
        self.columns = Array(repeating: Column(), count: fieldCount)
    }

    public var count: Int { sources.count }

    public func row(forKey key: String) -> Int? { keyRows[key].map(Int.init) }
}

/// An input file as the report lists it.
public struct InputInfo: Sendable, Equatable {
    public var entity: String
    public var path: String
    public var records: Int
    public var rejected: Int
    public var sha256: String
}

public struct DataError: Sendable, Equatable {
    public var path: String
    public var line: Int?
    public var column: String?
    public var value: String?
    public var reason: Text
    /// Whether the whole record was rejected (duplicate key, no key, bad row).
    public var rejectsRecord: Bool

    public init(path: String, line: Int?, column: String?, value: String?, reason: Text, rejectsRecord: Bool = false) {
        self.path = path
        self.line = line
        self.column = column
        self.value = value
        self.reason = reason
        self.rejectsRecord = rejectsRecord
    }
}

/// All records of a run, by entity index of the program.
public struct Dataset: Sendable {
    public var tables: [Table]
    public var inputs: [InputInfo]
    public var errors: [DataError]
    public var notes: [DataError]

    public init(program: Program) {
        tables = program.entities.indices.map { Table(entity: $0, fieldCount: program.entities[$0].fields.count) }
        inputs = []
        errors = []
        notes = []
    }

    public var recordsRead: Int { inputs.reduce(0) { $0 + $1.records } }
    public var recordsRejected: Int { inputs.reduce(0) { $0 + $1.rejected } }
}
