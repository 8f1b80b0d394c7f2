import Foundation

// Usage: EmbedResourcesTool RESOURCE_FOLDER OUTPUT.swift
//
// Writes every regular file below RESOURCE_FOLDER (hidden ones skipped, in
// code-point order of the relative path) as a Base64 string literal. Base64
// keeps the bytes exact (a multi-line string literal would turn CR LF into LF)
// and compiles fast (an array literal of 250,000 bytes does not).

let args = CommandLine.arguments
guard args.count == 3 else {
    FileHandle.standardError.write(Data("usage: EmbedResourcesTool RESOURCE_FOLDER OUTPUT.swift\n".utf8))
    exit(64)
}
let root = URL(fileURLWithPath: args[1]).resolvingSymlinksInPath()
let fm = FileManager.default
var files: [(path: String, bytes: Data)] = []
guard let walk = fm.enumerator(atPath: root.path) else {
    FileHandle.standardError.write(Data("EmbedResources: cannot read \(root.path)\n".utf8))
    exit(1)
}
while let rel = walk.nextObject() as? String {
    if rel.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
    var isDir: ObjCBool = false
    let full = root.appendingPathComponent(rel).path
    guard fm.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue else { continue }
    guard let bytes = fm.contents(atPath: full) else {
        FileHandle.standardError.write(Data("EmbedResources: cannot read \(full)\n".utf8))
        exit(1)
    }
    files.append((rel, bytes))
}
files.sort { Array($0.path.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.path.unicodeScalars.map(\.value)) }

func literal(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case _ where u.value < 0x20 || u.value == 0x7F: out += "\\u{\(String(u.value, radix: 16))}"
        default: out.unicodeScalars.append(u)
        }
    }
    return out + "\""
}

var text = "// Generated at build time by the EmbedResources plugin from the target's\n// Resources folder. Do not edit; change the files under Resources instead.\n\n"
text += "let embeddedResourceFiles: [(path: String, base64: String)] = [\n"
for f in files {
    text += "    (\(literal(f.path)), \"\(f.bytes.base64EncodedString())\"),\n"
}
text += "]\n"
let output = URL(fileURLWithPath: args[2])
// Rewriting identical bytes would make the module recompile for nothing.
if fm.contents(atPath: output.path) != Data(text.utf8) {
    do {
        try Data(text.utf8).write(to: output, options: .atomic)
    } catch {
        FileHandle.standardError.write(Data("EmbedResources: cannot write \(output.path): \(error)\n".utf8))
        exit(1)
    }
}
