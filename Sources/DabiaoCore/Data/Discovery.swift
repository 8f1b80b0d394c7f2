import Foundation

/// Finds rule files and data files on disk, and the copies built into the binary.
public enum Discovery {
    /// The rulebooks and sample data that travel with the binary: the
    /// resource folder SwiftPM puts beside the executable, or, for a binary
    /// run from its build tree, the sources it was built from. (Bundle.module
    /// would trap when the folder is missing; a missing folder here is an
    /// ordinary error.)
    public static var bundledRoot: URL? {
        let fm = FileManager.default
        var candidates: [URL] = []
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        candidates.append(exe.appendingPathComponent("dabiao_DabiaoCore.resources"))
        if let main = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() {
            candidates.append(main.appendingPathComponent("dabiao_DabiaoCore.resources"))
        }
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Resources"))
        return candidates.first { fm.fileExists(atPath: $0.appendingPathComponent("rules").path) }
    }

    public static var bundledRules: String? {
        bundledRoot.map { $0.appendingPathComponent("rules").path }
    }

    public static var bundledSamples: String? {
        bundledRoot.map { $0.appendingPathComponent("samples").path }
    }

    static func isDirectory(_ path: String) -> Bool {
        var dir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &dir) && dir.boolValue
    }

    /// Every file below `path` (or `path` itself), sorted, hidden ones skipped.
    public static func files(in path: String, extensions: Set<String>) -> [String] {
        if !isDirectory(path) { return [path] }
        // The enumerator does not descend into a folder given as a symbolic link
        // (`rules` is one); walk the folder it points to, report paths as given.
        let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard let e = FileManager.default.enumerator(atPath: real) else { return [] }
        var out: [String] = []
        while let rel = e.nextObject() as? String {
            let name = (rel as NSString).lastPathComponent
            if name.hasPrefix(".") { continue }
            let full = (path as NSString).appendingPathComponent(rel)
            if extensions.contains((name as NSString).pathExtension.lowercased()), !isDirectory(full) {
                out.append(full)
            }
        }
        return out.sorted()
    }

    /// Reads rule files; `display` maps an absolute path to the path reports show.
    public static func ruleFiles(_ paths: [String], display: (String) -> String = { $0 }) throws -> [SourceFile] {
        var out: [SourceFile] = []
        for p in paths {
            guard FileManager.default.fileExists(atPath: p) else {
                throw InputFailure(path: display(p), message: Text("找不到规则文件或目录", "no such rule file or folder"))
            }
            for f in files(in: p, extensions: ["rules"]) {
                guard let data = FileManager.default.contents(atPath: f) else {
                    throw InputFailure(path: display(f), message: Text("无法读取规则文件", "cannot read the rule file"))
                }
                var bytes = [UInt8](data)
                if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw InputFailure(path: display(f), message: Text("规则文件不是有效的 UTF-8 文本", "the rule file is not valid UTF-8"))
                }
                out.append(SourceFile(path: display(f), text: text))
            }
        }
        return out
    }

    public static let dataExtensions: Set<String> = ["csv", "tsv", "txt", "json", "jsonl", "ndjson", "xlsx"]

    /// Matches a data file to an entity by its file name: entity name or label.
    public static func entity(for path: String, in program: Program) -> Int? {
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let s = normalizeHeader(stem)
        return program.entities.firstIndex { $0.name == s || normalizeHeader($0.label) == s }
            ?? program.entities.firstIndex { $0.name.lowercased() == s.lowercased() }
    }

    /// Data files below the given paths, each matched to an entity.
    public static func inputs(_ paths: [String], program: Program, display: (String) -> String = { $0 }) throws -> [InputSpec] {
        var out: [InputSpec] = []
        for p in paths {
            guard FileManager.default.fileExists(atPath: p) else {
                throw InputFailure(path: display(p), message: Text("找不到数据文件或目录", "no such data file or folder"))
            }
            let dir = isDirectory(p)
            for f in files(in: p, extensions: dataExtensions) {
                guard let e = entity(for: f, in: program) else {
                    // A workbook named for no entity may hold one sheet per entity.
                    let ext = (f as NSString).pathExtension.lowercased()
                    if ext == "xlsx" || ext == "xlsm" {
                        let sheets = try xlsxSheetInputs(path: f, displayPath: display(f), program: program)
                        if !sheets.isEmpty { out += sheets; continue }
                    }
                    // In a folder, files that name no entity (a README, a notes.txt) are passed over.
                    if dir { continue }
                    let names = program.entities.map { "\($0.name).csv / \($0.label).csv" }.joined(separator: ", ")
                    throw InputFailure(path: display(f), message: Text("无法从文件名判断对应的实体；请用 --data 实体=文件 指定（可用：\(names)）",
                                                                       "cannot tell the entity from the file name; use --data ENTITY=FILE (known: \(names))"))
                }
                out.append(InputSpec(entity: e, path: f, displayPath: display(f)))
            }
        }
        return out
    }
}
