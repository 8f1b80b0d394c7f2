// libFuzzer target: lexer + parser + checker (`compileProject`) on arbitrary bytes.
// Built together with the library sources by fuzz/run.sh; see docs/input.md.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRules(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // The CLI refuses rule files that are not UTF-8; lossy decoding still
    // gives the lexer replacement characters and odd scalars to chew on.
    let text = String(decoding: bytes, as: UTF8.self)
    let (program, diagnostics) = compileProject([SourceFile(path: "fuzz.rules", text: text)])
    if program == nil && diagnostics.isEmpty {
        // A project that does not compile must say why.
        fatalError("no program and no diagnostics")
    }
    return 0
}
