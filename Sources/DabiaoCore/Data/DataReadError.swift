import Foundation

/// An input file that cannot be read at all (bad encoding, broken CSV quoting,
/// JSON syntax). Per-cell problems are not errors of this kind: they are
/// `CellParse.invalid` values so the record stays in the run.
///
/// `line`, `column` are 1-based; `column` counts Unicode scalars from the start
/// of the line. `byteOffset` is 0-based into the file's bytes.
struct DataReadError: Error, Equatable, Sendable, CustomStringConvertible {
    var path: String?
    var line: Int?
    var column: Int?
    var byteOffset: Int?
    /// Chinese, for the report; `messageEN` is the English wording.
    var message: String
    var messageEN: String

    init(path: String? = nil, line: Int? = nil, column: Int? = nil, byteOffset: Int? = nil,
                message: String, messageEN: String? = nil) {
        self.path = path
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
        self.message = message
        self.messageEN = messageEN ?? message
    }

    /// The same error attributed to a file, for readers that learn the path
    /// only after parsing bytes.
    func at(path: String) -> DataReadError {
        var copy = self
        copy.path = path
        return copy
    }

    /// `path:line:column: message`, omitting the parts that are unknown.
    var description: String { render(english: false) }

    func render(english: Bool) -> String {
        var location = path ?? ""
        if let line {
            location += (location.isEmpty ? "" : ":") + "\(line)"
            if let column { location += ":\(column)" }
        } else if let byteOffset {
            location += (location.isEmpty ? "" : ":") + (english ? "byte \(byteOffset)" : "第 \(byteOffset) 字节")
        }
        let text = english ? messageEN : message
        return location.isEmpty ? text : "\(location): \(text)"
    }
}
