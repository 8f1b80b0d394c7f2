/// One column of an entity's records. Every value is a Double so a column is
/// one flat array whatever its type: numbers in base units, bools as 0/1,
/// dates as days since 1970-01-01, texts as codes into `dict`. NaN marks a
/// missing value (a parsed number is never NaN).
public struct Column: Sendable {
    public var values: [Double] = []
    /// Distinct texts of a text or ref column, in order of first appearance.
    public var dict = TextDictionary()

    public init() {}

    public var strings: TextDictionary.TextView { dict.strings }

    @inline(__always) public func isMissing(_ row: Int) -> Bool { values[row].isNaN }

    public func text(_ row: Int) -> String? {
        guard row >= 0, row < values.count else { return nil }
        let v = values[row]
        guard !v.isNaN else { return nil }
        let c = Int(v)
        return c >= 0 && c < dict.count ? dict.text(c) : nil
    }

    public mutating func appendText(_ s: String) {
        values.append(Double(dict.insert(s).code))
    }

    public mutating func appendMissing() { values.append(.nan) }
    public mutating func append(_ v: Double) { values.append(v) }
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
    /// The key column's dictionary is the key → record index: a key is added
    /// exactly when its record is accepted, so its code is the record number.
    public var keyField: Int?
    var inputIndex: [Int32] = []
    var lines: [Int32] = []

    public init(entity: Int, fieldCount: Int, keyField: Int? = nil) {
        self.entity = entity
        self.columns = Array(repeating: Column(), count: fieldCount)
        self.keyField = keyField
    }

    public var count: Int { lines.count }

    public func source(_ row: Int) -> RecordSource {
        guard row >= 0, row < lines.count else { return RecordSource(input: 0, line: 0) }
        return RecordSource(input: Int(inputIndex[row]), line: Int(lines[row]))
    }

    mutating func shiftInputs(by offset: Int) {
        guard offset != 0 else { return }
        for i in inputIndex.indices { inputIndex[i] += Int32(offset) }
    }

    mutating func reserve(_ n: Int) {
        for i in columns.indices { columns[i].values.reserveCapacity(columns[i].values.count + n) }
        inputIndex.reserveCapacity(inputIndex.count + n)
        lines.reserveCapacity(lines.count + n)
    }

    mutating func appendSource(input: Int, line: Int) {
        inputIndex.append(Int32(clamping: input))
        lines.append(Int32(clamping: line))
    }

    public func row(forKey key: String) -> Int? {
        guard let k = keyField, k < columns.count, let c = columns[k].dict.code(of: key), Int(c) < count else { return nil }
        return Int(c)
    }
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
        tables = program.entities.indices.map {
            Table(entity: $0, fieldCount: program.entities[$0].fields.count, keyField: program.entities[$0].keyField)
        }
        inputs = []
        errors = []
        notes = []
    }

    public var recordsRead: Int { inputs.reduce(0) { $0 + $1.records } }
    public var recordsRejected: Int { inputs.reduce(0) { $0 + $1.rejected } }
}
