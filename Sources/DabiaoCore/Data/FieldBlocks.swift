import Foundation

/// The cells of a block's accepted records, field by field: what the row
/// reader hands `addRecord` one record at a time, kept so that each field's
/// cells can be read into its column on its own core. Spans point into the
/// block's bytes or, for a quoted cell that needed unescaping, into `scratch`.
struct FieldBlock: Sendable {
    /// Per accepted record: its number among the block's records (errors
    /// are put back in record order) and its line.
    var records: [Int32] = []
    var lines: [Int32] = []
    /// `fieldCount` cells per accepted record.
    var cells: [Cell] = []
    var scratch: [UInt8] = []
    private(set) var fieldCount: Int

    /// Where a cell's bytes are, in 8 bytes: a block is at most a few MiB
    /// (longer only when one row is), far below 2³¹.
    struct Cell: Sendable {
        var start: Int32
        var end: Int32
        /// The input has no column for the field (not an empty cell).
        static let absent = Cell(start: -1, end: -1)
        static let empty = Cell(start: 0, end: 0)
        /// Bytes in `scratch` are marked by a negative end.
        var inScratch: Bool { end < 0 && start >= 0 }
    }

    init(fieldCount: Int) { self.fieldCount = fieldCount }

    /// Empty, for the next block, keeping the memory of this one's.
    mutating func reset(fieldCount: Int) {
        self.fieldCount = fieldCount
        records.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
        cells.removeAll(keepingCapacity: true)
        scratch.removeAll(keepingCapacity: true)
    }

    var count: Int { records.count }

    mutating func add(_ row: CSVRow, record: Int, columns: [(column: Int, scale: Double)?], keyField: Int?) {
        records.append(Int32(truncatingIfNeeded: record))
        lines.append(Int32(truncatingIfNeeded: row.line))
        for fi in 0..<fieldCount {
            guard fi != keyField, fi < columns.count, let (c, _) = columns[fi] else {
                cells.append(.absent)
                continue
            }
            // A cell past the row's end is an empty cell, as `CSVRow.withField` reads it.
            guard c < row.spans.count else {
                cells.append(.empty)
                continue
            }
            let span = row.spans[c]
            guard span.start >= 0, span.start <= span.end else {
                cells.append(.empty)
                continue
            }
            if span.inScratch {
                guard span.end <= row.scratch.count else {
                    cells.append(.empty)
                    continue
                }
                let start = scratch.count
                scratch.append(contentsOf: row.scratch[span.start..<span.end])
                cells.append(Cell(start: Int32(truncatingIfNeeded: start), end: ~Int32(truncatingIfNeeded: scratch.count)))
            } else {
                cells.append(Cell(start: Int32(truncatingIfNeeded: span.start), end: Int32(truncatingIfNeeded: span.end)))
            }
        }
    }

    /// The bytes of a cell that is not absent.
    @inline(__always)
    static func bytes(_ cell: Cell, source: UnsafeBufferPointer<UInt8>, scratch: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let whole = cell.inScratch ? scratch : source
        let start = Int(cell.start), end = cell.inScratch ? Int(~cell.end) : Int(cell.end)
        guard start >= 0, start <= end, end <= whole.count else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(rebasing: whole[start..<end])
    }
}

/// One field's column while a block's cells are read into it off the loader.
struct FieldWork: Sendable {
    var column: Column
    var allowed: [Bool]
    var markers = 0
    var errors: [(record: Int, error: DataError)] = []
}

extension DataLoader {
    /// Reads every field but the key of a block's accepted records into its
    /// column, the fields spread over the cores, then puts the data errors in
    /// the order the row reader gives them: by record, then by field.
    /// `phaseOne` are the errors of the block so far (header, extra cells,
    /// keys) with, for each record, where its errors start among them.
    mutating func readFields(of block: FieldBlock, source: [UInt8], entity e: Int, path: String, scales: [Double],
                             phaseOne: [DataError], recordErrorStarts: [Int], markers: inout [Int: Int]) {
        let keyField = program.entities[e].keyField
        let fields = (0..<program.entities[e].fields.count).filter { $0 != keyField }
        let work = ChunkResults<FieldWork>(count: fields.count)
        for (i, fi) in fields.enumerated() {
            let column = dataset.tables[e].columns[fi]
            // The dataset lets go of the column, so appending to it copies nothing.
            dataset.tables[e].columns[fi] = Column(storage: column.storage)
            let ref = FieldRef(entity: e, field: fi)
            work.set(i, FieldWork(column: column, allowed: allowedCodes[ref] ?? []))
            allowedCodes[ref] = nil
        }
        let program = self.program
        let kinds = cellKinds[e]
        let codes = codeFields[e]
        let checkBytes = checkCellBytes
        let read: @Sendable (Int) -> Void = { i in
            let fi = fields[i]
            guard var w = work.take(i) else { return }
            let label = program.entities[e].fields[fi].label
            let scale = fi < scales.count ? scales[fi] : 1
            source.withUnsafeBufferPointer { src in
                block.scratch.withUnsafeBufferPointer { scr in
                    for j in 0..<block.count {
                        let cell = block.cells[j * block.fieldCount + fi]
                        if cell.start < 0 {
                            w.column.appendMissing()
                            continue
                        }
                        let p = FieldBlock.bytes(cell, source: src, scratch: scr)
                        if codes[fi], isExponentNumber(p) {
                            w.errors.append((Int(block.records[j]), DataError(path: path, line: Int(block.lines[j]), column: label, value: DataLoader.string(p),
                                                                         reason: DataLoader.excelDigitsReason(label: label, key: false))))
                            w.column.appendMissing()
                            continue
                        }
                        switch DataLoader.readCell(p, program: program, entity: e, field: fi, kind: kinds[fi], scale: scale,
                                                   checkBytes: checkBytes, into: &w.column, allowed: &w.allowed) {
                        case .value, .missing: break
                        case .marker: w.markers += 1
                        case .bad(let reason, let raw):
                            w.errors.append((Int(block.records[j]), DataError(path: path, line: Int(block.lines[j]), column: label, value: raw, reason: reason)))
                        }
                    }
                }
            }
            work.set(i, w)
        }
        if fields.count > 1 {
            DispatchQueue.concurrentPerform(iterations: fields.count, execute: read)
        } else if fields.count == 1 {
            read(0)
        }
        var fieldErrors: [[(record: Int, error: DataError)]] = []
        for (i, fi) in fields.enumerated() {
            guard let w = work.take(i) else { continue }
            dataset.tables[e].columns[fi] = w.column
            allowedCodes[FieldRef(entity: e, field: fi)] = w.allowed
            if w.markers > 0 { markers[fi, default: 0] += w.markers }
            fieldErrors.append(w.errors)
        }
        // Record by record: its own errors (extra cells, key), then its fields' in field order.
        let recordCount = recordErrorStarts.count
        dataset.errors += phaseOne[0..<(recordErrorStarts.first ?? phaseOne.count)]
        var next = [Int](repeating: 0, count: fieldErrors.count)
        for r in 0..<recordCount {
            let end = r + 1 < recordCount ? recordErrorStarts[r + 1] : phaseOne.count
            dataset.errors += phaseOne[recordErrorStarts[r]..<end]
            for f in fieldErrors.indices {
                while next[f] < fieldErrors[f].count, fieldErrors[f][next[f]].record == r {
                    dataset.errors.append(fieldErrors[f][next[f]].error)
                    next[f] += 1
                }
            }
        }
    }
}
