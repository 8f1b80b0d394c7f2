import Foundation

/// The rulebooks and the sample data set compiled into the binary (the
/// EmbedResources build plugin writes `embeddedResourceFiles` from
/// `Sources/DabiaoCore/Resources`). Paths are relative to that folder, e.g.
/// `rules/entities.rules` and `samples/gansu-2024/school.csv`: the same paths
/// reports have always shown for the built-in files.
enum BuiltinFiles {
    struct File: Sendable, Equatable {
        let path: String
        let bytes: [UInt8]
    }

    /// Every file, in code-point order of its path; decoded once.
    static let all: [File] = embeddedResourceFiles.compactMap { entry in
        // Only a broken build could give bad Base64; such a file is left out,
        // and the missing-rulebook or missing-input errors then say so.
        guard let data = Data(base64Encoded: entry.base64) else { return nil }
        return File(path: entry.path, bytes: [UInt8](data))
    }

    /// The files below `folder` (e.g. `rules`, `samples/gansu-2024`).
    static func files(under folder: String) -> [File] {
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        return all.filter { $0.path.hasPrefix(prefix) }
    }

    /// The built-in rule files (`rules/*.rules`), the README beside them left out.
    static var ruleFiles: [File] {
        files(under: "rules").filter { ($0.path as NSString).pathExtension.lowercased() == "rules" }
    }

    /// Writes the files below `folder` into `directory` (created if needed),
    /// keeping their paths below `folder`, and returns the paths written. An
    /// existing file is never overwritten: a province's edited rulebook must
    /// not be replaced by the standard one without a word.
    static func export(_ folder: String, to directory: String) throws -> [String] {
        let fm = FileManager.default
        let files = files(under: folder)
        let prefix = folder.count + 1
        let targets = files.map { (directory as NSString).appendingPathComponent(String($0.path.dropFirst(prefix))) }
        let existing = targets.filter { fm.fileExists(atPath: $0) }
        if !existing.isEmpty {
            throw InputFailure(path: existing[0], message: Bilingual("文件已存在，不会覆盖（共 \(existing.count) 个）；请换一个空目录",
                                                                "the file exists and is not overwritten (\(existing.count) in all); choose an empty folder"))
        }
        for (file, target) in zip(files, targets) {
            do {
                try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(file.bytes).write(to: URL(fileURLWithPath: target), options: .withoutOverwriting)
            } catch {
                throw InputFailure(path: target, message: Bilingual("无法写入：\(error.localizedDescription)", "cannot write: \(error.localizedDescription)"))
            }
        }
        return targets
    }
}
