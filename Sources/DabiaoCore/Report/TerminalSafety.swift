/// Text from data files reaches a terminal through the text report, the
/// rectification list, `explain` and error messages. A school name holding
/// `ESC]0;…BEL` would retitle the window and `ESC[2J` would clear it, so
/// every control character (C0 but line feed and tab, DEL, C1) is shown as
/// an escape such as `\x1b` instead. The report's own colours survive: with
/// `allowingColour`, exactly the SGR sequences `TextReport.Style` writes are
/// kept (a colour change is all a forged one could do).
public enum TerminalSafety {
    static let ownSequences: Set<String> = ["1", "2", "0", "31", "32", "33", "35", "36"]

    public static func escapeControls(_ text: String, allowingColour: Bool = false) -> String {
        // Most reports hold no control byte at all: look at the bytes first.
        guard text.utf8.contains(where: { ($0 < 0x20 && $0 != 0x0A && $0 != 0x09) || $0 == 0x7F || $0 == 0xC2 }) else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        out.reserveCapacity(scalars.count + 16)
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            if allowingColour, s == "\u{1B}", let end = ownSequenceEnd(scalars, from: i) {
                out.append(contentsOf: scalars[i..<end])
                i = end
                continue
            }
            if isControl(s) {
                out.append(contentsOf: escaped(s).unicodeScalars)
            } else {
                out.append(s)
            }
            i += 1
        }
        return String(out)
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v == 0x0A || v == 0x09 { return false }
        return v < 0x20 || (0x7F...0x9F).contains(v)
    }

    static func escaped(_ s: Unicode.Scalar) -> String {
        let hex = String(s.value, radix: 16)
        return s.value <= 0xFF ? "\\x" + (hex.count < 2 ? "0" + hex : hex) : "\\u{" + hex + "}"
    }

    /// The end of `ESC [ digits m` at `i` when the digits are one of ours.
    static func ownSequenceEnd(_ s: [Unicode.Scalar], from i: Int) -> Int? {
        guard i + 2 < s.count, s[i + 1] == "[" else { return nil }
        var j = i + 2
        var digits = ""
        while j < s.count, j - i < 6, ("0"..."9").contains(s[j]) {
            digits.unicodeScalars.append(s[j])
            j += 1
        }
        guard j < s.count, s[j] == "m", ownSequences.contains(digits) else { return nil }
        return j + 1
    }
}
