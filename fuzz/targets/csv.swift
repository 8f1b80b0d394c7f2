// libFuzzer target: text decoding + CSV reader + data loader (typed columns,
// header matching, cell parsing) on arbitrary bytes.

// `fuzzProgram` (the school schema) is in fuzz/shared/schema.swift.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let program = fuzzProgram else { fatalError("the fuzz schema does not compile") }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var loader = DataLoader(program: program)
    do {
        try loader.load(bytes: bytes, spec: InputSpec(entity: 0, path: "school.csv"))
    } catch is InputFailure {
        return 0
    } catch {
        fatalError("unexpected error type: \(error)")
    }
    let info = loader.dataset.inputs[0]
    let table = loader.dataset.tables[0]
    // Every record read is either in the table or rejected with a reason.
    if info.records != table.count + info.rejected { fatalError("records \(info.records) != \(table.count) + \(info.rejected)") }
    if loader.dataset.errors.filter(\.rejectsRecord).count != info.rejected { fatalError("rejected records without a reason") }
    for column in table.columns where column.values.count != table.count { fatalError("ragged columns") }
    return 0
}
