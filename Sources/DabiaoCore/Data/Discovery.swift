import Foundation

/// Finds rule files and data files on disk, and the copies built into the binary.
enum Discovery {
    /// The built-in rule files (`rules/…`), compiled into the binary.
    static func builtinRuleFiles() -> [SourceFile] {
        BuiltinFiles.ruleFiles.map { SourceFile(path: $0.path, bytes: $0.bytes) }
    }

    /// The built-in data files below `folder` (e.g. `samples/gansu-2024`),
    /// each matched to an entity by its name; files naming no entity (the
    /// README) are passed over, as in a folder on disk.
    static func builtinInputs(_ folder: String, program: Program) -> [InputSpec] {
        BuiltinFiles.files(under: folder).compactMap { file in
            guard dataExtensions.contains((file.path as NSString).pathExtension.lowercased()),
                  let e = entity(for: file.path, in: program) else { return nil }
            return InputSpec(entity: e, path: file.path, contents: file.bytes)
        }
    }

    static func isDirectory(_ path: String) -> Bool {
        var dir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &dir) && dir.boolValue
    }

    /// Every file below `path` (or `path` itself), sorted, hidden ones skipped.
    static func files(in path: String, extensions: Set<String>) -> [String] {
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
    static func ruleFiles(_ paths: [String], display: (String) -> String = { $0 }) throws -> [SourceFile] {
        var out: [SourceFile] = []
        for p in paths {
            guard FileManager.default.fileExists(atPath: p) else {
                throw InputFailure(path: display(p), message: Bilingual("找不到规则文件或目录", "no such rule file or folder"))
            }
            for f in files(in: p, extensions: ["rules"]) {
                // A rule file is read like data: a FIFO or device is refused
                // before it can block, and the size is bounded.
                let bytes: [UInt8]
                do {
                    bytes = try readInputFile(f, maxBytes: 64 << 20)
                } catch let e as DataReadError {
                    throw InputFailure(path: display(f), message: Bilingual(e.message, e.messageEN))
                }
                out.append(SourceFile(path: display(f), bytes: bytes))
            }
        }
        return out
    }

    static let dataExtensions: Set<String> = ["csv", "tsv", "txt", "json", "jsonl", "ndjson", "xlsx"]

    /// Matches a data file to an entity by its file name: entity name or label.
    static func entity(for path: String, in program: Program) -> Int? {
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let s = normalizeHeader(stem)
        return program.entities.firstIndex { $0.name == s || normalizeHeader($0.label) == s }
            ?? program.entities.firstIndex { $0.name.lowercased() == s.lowercased() }
    }

    /// Data files below the given paths, each matched to an entity.
    static func inputs(_ paths: [String], program: Program, display: (String) -> String = { $0 }) throws -> [InputSpec] {
        var out: [InputSpec] = []
        for p in paths {
            guard FileManager.default.fileExists(atPath: p) else {
                throw InputFailure(path: display(p), message: Bilingual("找不到数据文件或目录", "no such data file or folder"))
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
                    throw InputFailure(path: display(f), message: Bilingual("无法从文件名判断对应的实体；请用 --data 实体=文件 指定（可用：\(names)）",
                                                                       "cannot tell the entity from the file name; use --data ENTITY=FILE (known: \(names))"))
                }
                out.append(InputSpec(entity: e, path: f, displayPath: display(f)))
            }
        }
        return out
    }

    /// Data extensions in the order messages list them.
    static let dataExtensionsInOrder = ["csv", "tsv", "txt", "json", "jsonl", "ndjson", "xlsx"]

    /// The failure of a run in which entities the rules select have no input:
    /// for each, the file names looked for and what the data paths do hold.
    static func missingInput(_ entities: [Int], paths: [String], program: Program,
                                    display: (String) -> String = { $0 }) -> InputFailure {
        var zh: [String] = []
        var en: [String] = []
        for e in entities {
            let entity = program.entities[e]
            let names = entity.label == entity.name ? [entity.name] : [entity.name, entity.label]
            let exts = dataExtensionsInOrder.joined(separator: "/")
            let wantZH = "实体 \(entity.name)（\(entity.label)）没有输入数据：查找的是 \(names.map { "\($0).csv" }.joined(separator: "、")) 等文件（扩展名 \(exts)），或工作簿中名为 \(names.joined(separator: " / ")) 的工作表"
            let wantEN = "entity \(entity.name) (\(entity.label)) has no input: looked for \(names.map { "\($0).csv" }.joined(separator: ", ")) and the like (extensions \(exts)), or a workbook sheet named \(names.joined(separator: " / "))"
            var foundZH: [String] = []
            var foundEN: [String] = []
            if paths.isEmpty {
                foundZH.append("没有给出数据目录，--data 也没有指定 \(entity.name)=文件")
                foundEN.append("no data folder was given and no --data \(entity.name)=FILE")
            }
            for p in paths {
                let shown = display(p)
                guard isDirectory(p) else {
                    let other = Discovery.entity(for: p, in: program).map { program.entities[$0].name } ?? "?"
                    foundZH.append("\(shown) 是实体 \(other) 的数据")
                    foundEN.append("\(shown) holds the data of entity \(other)")
                    continue
                }
                let listing = folderListing(p)
                if listing.isEmpty {
                    foundZH.append("目录 \(shown) 是空的")
                    foundEN.append("the folder \(shown) is empty")
                    continue
                }
                var specific = false
                for rel in listing {
                    let name = (rel as NSString).lastPathComponent
                    guard Discovery.entity(for: name, in: program) == e else { continue }
                    let ext = (name as NSString).pathExtension.lowercased()
                    let full = (p as NSString).appendingPathComponent(rel)
                    specific = true
                    if isDirectory(full) {
                        foundZH.append("找到 \(rel)：它是目录，不是文件")
                        foundEN.append("found \(rel): it is a folder, not a file")
                    } else if ext == "xls" || ext == "et" {
                        foundZH.append("找到 \(rel)：不支持旧版 Excel（.xls）或 WPS（.et），请另存为 .xlsx 或 CSV")
                        foundEN.append("found \(rel): old Excel (.xls) and WPS (.et) files are not supported; save it as .xlsx or CSV")
                    } else {
                        foundZH.append("找到 \(rel)：扩展名 .\(ext) 不是可读取的数据格式")
                        foundEN.append("found \(rel): .\(ext) is not a data format dabiao reads")
                    }
                }
                if !specific {
                    let shownNames = listing.prefix(10).joined(separator: "、")
                    let more = listing.count > 10 ? " 等 \(listing.count) 项" : ""
                    foundZH.append("目录 \(shown) 中只有：\(shownNames)\(more)，都不对应该实体")
                    foundEN.append("the folder \(shown) holds only \(listing.prefix(10).joined(separator: ", "))\(listing.count > 10 ? " and more (\(listing.count))" : ""), none for this entity")
                }
            }
            zh.append(wantZH + "；" + foundZH.joined(separator: "；"))
            en.append(wantEN + "; " + foundEN.joined(separator: "; "))
        }
        let where_ = paths.first.map(display) ?? (entities.first.map { program.entities[$0].name } ?? "data")
        // One line per entity: with the built-in rulebooks an empty folder misses five.
        return InputFailure(path: where_, message: Bilingual("无数据可检查。\n  " + zh.joined(separator: "\n  "),
                                                        "nothing would be checked.\n  " + en.joined(separator: "\n  ")))
    }

    /// The entries below a folder (relative, sorted, hidden ones skipped),
    /// for messages; a huge tree is cut short.
    static func folderListing(_ path: String) -> [String] {
        let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard let walk = FileManager.default.enumerator(atPath: real) else { return [] }
        var out: [String] = []
        while let rel = walk.nextObject() as? String, out.count < 1000 {
            if rel.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            out.append(rel)
        }
        return out.sorted()
    }
}
