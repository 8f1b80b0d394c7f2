// libFuzzer target: text decoding + CSV reader + data loader (typed columns,
// header matching, cell parsing) on arbitrary bytes.

// `fuzzProgram` (the school schema) is in fuzz/shared/schema.swift.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzLoad(Array(UnsafeBufferPointer(start: data, count: size)), path: "school.csv")
    return 0
}
