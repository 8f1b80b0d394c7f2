import Foundation

// A large CSV file is read in parts, one per core, with the same tables,
// errors and line numbers as one reader from the top would give.
//
// The parts start at line ends where the count of quote characters so far is
// even: outside any quoted field, if every quote opens or closes one. A quote
// inside an unquoted field (`12"`, which the reader keeps as text) breaks
// that guess, so the guess is checked: part 0 starts where the header ends,
// a true record start; if the last record of part k ends at or before the
// start of part k + 1 (only blank lines between), then part k + 1 starts at a
// true record start too, and its physical line number, counted from the line
// ends before it, is the one the serial reader would give. Any part that
// fails this, throws, or holds a key already seen in an earlier part sends
// the whole file back to the serial reader: a duplicate across parts must be
// rejected before its cells are read, and its message must name the first
// occurrence, which only the serial order gets right. Those are files with
// errors, and they cost one more read.

public struct CSVParallelism: Sendable {
    /// How many parts a large file is cut into.
    public var parts: Int
    /// Below this many bytes a file is read by one reader.
    public var minBytes: Int

    public init(parts: Int = ProcessInfo.processInfo.activeProcessorCount, minBytes: Int = 4 << 20) {
        self.parts = parts
        self.minBytes = minBytes
    }
}

/// Where each CSV column goes: the column of each field, with its scale.
struct CSVLayout: Sendable {
    var columns: [(column: Int, scale: Double)?]
    /// The number of header cells.
    var width: Int
}

/// Start offsets of the parts of `bytes[start...]` and the physical line
/// number at each, or nil when the file has too few line ends to split.
func csvPartStarts(_ bytes: [UInt8], from start: Int, line startLine: Int, parts: Int) -> [(offset: Int, line: Int)]? {
    let n = bytes.count
    guard parts > 1, n - start >= parts else { return nil }
    let span = (n - start) / parts
    let rangeStarts = (0..<parts).map { start + $0 * span }
    // Quotes and line ends of each range, counted on all cores.
    let counts = ChunkResults<(quotes: Int, lines: Int)>(count: parts)
    DispatchQueue.concurrentPerform(iterations: parts) { k in
        let lo = rangeStarts[k], hi = k + 1 < parts ? rangeStarts[k + 1] : n
        let c = bytes.withUnsafeBufferPointer { base -> (quotes: Int, lines: Int) in
            var quotes = 0, lines = 0
            var i = lo
            while i < hi {
                let b = base[i]
                if b > 34 { i += 1; continue }
                if b == 34 { quotes += 1 } else if b == 10 || (b == 13 && !(i + 1 < n && base[i + 1] == 10)) { lines += 1 }
                i += 1
            }
            return (quotes, lines)
        }
        counts.set(k, c)
    }
    var out = [(offset: start, line: startLine)]
    var quotes = 0, lines = 0           // before `pos`
    var pos = start
    var prefixQuotes = 0, prefixLines = 0
    for k in 1..<parts {
        let c = counts.get(k - 1) ?? (0, 0)
        prefixQuotes += c.quotes
        prefixLines += c.lines
        if pos < rangeStarts[k] {
            pos = rangeStarts[k]
            quotes = prefixQuotes
            lines = prefixLines
        }
        var found: Int?
        while pos < n {
            let b = bytes[pos]
            pos += 1
            if b == 34 {
                quotes += 1
            } else if b == 10 || (b == 13 && !(pos < n && bytes[pos] == 10)) {
                lines += 1
                if quotes % 2 == 0 { found = pos; break }
            }
        }
        guard let f = found, f < n else { break }
        out.append((f, startLine + lines))
    }
    return out.count > 1 ? out : nil
}

extension DataLoader {
    /// Reads the records of `reader` into the entity's table and returns the
    /// offset just past the last one.
    mutating func csvRecords(_ reader: inout CSVReader, _ layout: CSVLayout, entity e: Int, input: Int, path: String,
                             markers: inout [Int: Int], read: inout Int, rejected: inout Int) throws -> Int {
        var row = CSVRow()
        var lastEnd = reader.position
        while try reader.next(into: &row) {
            lastEnd = reader.position
            // A template's hint line (first cell starting with `#`) is not a record.
            if row.count > 0, row.withField(0, { $0.first == UInt8(ascii: "#") }) { continue }
            read += 1
            if row.count > layout.width {
                let extra = layout.width..<row.count
                if extra.contains(where: { !row.isEmpty($0) }) {
                    dataset.errors.append(DataError(path: path, line: row.line, column: nil, value: row.string(row.count - 1),
                                                    reason: Text("本行的单元格比表头多 \(row.count - layout.width) 个，多出的已忽略",
                                                                 "the row has \(row.count - layout.width) more cells than the header; the extra cells were ignored")))
                }
            }
            if !addRecord(entity: e, input: input, path: path, line: row.line, markers: &markers,
                          cells: CSVCells(row: row, columns: layout.columns)) {
                rejected += 1
            }
        }
        return lastEnd
    }

    /// Reads the records after the header in parts on all cores and merges
    /// them; false (with nothing changed) when the file is small, the entity
    /// already has records from another file, or the parts do not join up,
    /// and the caller then reads it serially.
    mutating func loadCSVInParts(_ utf8: [UInt8], delimiter: UInt8, after header: CSVReader, _ layout: CSVLayout,
                                 entity e: Int, input: Int, path: String,
                                 markers: inout [Int: Int], read: inout Int, rejected: inout Int) -> Bool {
        guard csvParallelism.parts > 1, utf8.count - header.position >= csvParallelism.minBytes, dataset.tables[e].count == 0,
              let starts = csvPartStarts(utf8, from: header.position, line: header.currentLine, parts: csvParallelism.parts)
        else { return false }
        struct Part: Sendable {
            var loader: DataLoader
            var markers: [Int: Int]
            var read: Int
            var rejected: Int
            var lastEnd: Int
        }
        var template = DataLoader(program: program)
        template.checkCellBytes = checkCellBytes
        template.dataset.inputs = dataset.inputs
        let fresh = template
        let done = ChunkResults<Part>(count: starts.count)
        DispatchQueue.concurrentPerform(iterations: starts.count) { k in
            let end = k + 1 < starts.count ? starts[k + 1].offset : Int.max
            var loader = fresh
            var reader = CSVReader(bytes: utf8, delimiter: delimiter, start: starts[k].offset, end: end, line: starts[k].line)
            var m: [Int: Int] = [:]
            var r = 0, rj = 0
            let hi = min(end, utf8.count)
            let lines = utf8.withUnsafeBufferPointer { p in p[starts[k].offset..<hi].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
            loader.dataset.tables[e].reserve(lines + 1)
            // A part that throws is left empty, and the file is read serially.
            guard let lastEnd = try? loader.csvRecords(&reader, layout, entity: e, input: input, path: path,
                                                       markers: &m, read: &r, rejected: &rj) else { return }
            done.set(k, Part(loader: loader, markers: m, read: r, rejected: rj, lastEnd: lastEnd))
        }
        var parts: [Part] = []
        for k in starts.indices {
            guard let part = done.take(k) else { return false }
            if k + 1 < starts.count, part.lastEnd > starts[k + 1].offset { return false }
            parts.append(part)
        }
        // Merge into a copy; the dataset changes only once every part fits.
        var table = dataset.tables[e]
        let keyField = program.entities[e].keyField
        table.reserve(parts.reduce(0) { $0 + $1.loader.dataset.tables[e].count })
        for part in parts {
            let t = part.loader.dataset.tables[e]
            let base = table.count
            for fi in t.columns.indices {
                let local = t.columns[fi]
                if fi == keyField {
                    // Key codes are record numbers: each key of this part must be new.
                    for c in 0..<local.dict.count {
                        let (code, inserted) = table.columns[fi].dict.insert(from: local.dict, code: c)
                        guard inserted, Int(code) == base + c else { return false }
                    }
                    table.columns[fi].values.append(contentsOf: local.values.lazy.map { $0 + Double(base) })
                    continue
                }
                switch cellKinds[e][fi] {
                case .text, .oneOf:
                    // Codes in order of first appearance, as one reader would give them.
                    var codes = [Double](repeating: 0, count: local.dict.count)
                    for c in 0..<local.dict.count {
                        codes[c] = Double(table.columns[fi].dict.insert(from: local.dict, code: c).code)
                    }
                    table.columns[fi].values.append(contentsOf: local.values.lazy.map { v in
                        v >= 0 && v < Double(codes.count) ? codes[Int(v)] : v
                    })
                case .number, .integer, .bool, .date:
                    table.columns[fi].values.append(contentsOf: local.values)
                }
            }
            table.inputIndex.append(contentsOf: t.inputIndex)
            table.lines.append(contentsOf: t.lines)
        }
        dataset.tables[e] = table
        csvFilesReadInParts += 1
        for part in parts {
            dataset.errors += part.loader.dataset.errors
            for (f, n) in part.markers { markers[f, default: 0] += n }
            read += part.read
            rejected += part.rejected
        }
        return true
    }
}
