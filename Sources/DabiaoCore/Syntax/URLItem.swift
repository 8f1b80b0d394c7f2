/// The `url "…"` item of a ruleset or rule: a page people can open from a
/// finding (SARIF `helpUri`). It must be an absolute http(s) URI that every
/// consumer takes as written, so anything a browser would quietly repair
/// (a space, a Chinese character, a backslash) is an error pointing at the
/// character, with the repair in the hint.
enum URLItemCheck {
    struct Problem: Equatable {
        /// Scalars into the literal between its quotes.
        var offset: Int
        var length: Int
        var kind: Kind

        /// What is wrong; `Diagnostic.url` says it (DiagnosticCatalog.swift).
        enum Kind: Equatable {
            case space
            case control(name: String)
            case backslash
            case notEncoded(String, encoded: String)
            case badPercent
            case notAllowed(String, encoded: String)
            case hostNotPunycode(String)
            case notAbsolute
            case noHost
        }
    }

    /// `raw` is the literal as written between its quotes (escapes not
    /// decoded: a URL has no use for them).
    static func problem(_ raw: [Unicode.Scalar]) -> Problem? {
        var i = 0
        while i < raw.count {
            let c = raw[i]
            let v = c.value
            if c == " " || c == "\u{3000}" || (c.properties.isWhitespace && v > 0x7F && !isControl(v)) {
                return Problem(offset: i, length: 1, kind: .space)
            }
            if isControl(v) {
                return Problem(offset: i, length: 1, kind: .control(name: scalarName(c)))
            }
            if c == "\\" {
                return Problem(offset: i, length: min(2, raw.count - i), kind: .backslash)
            }
            if v > 0x7F {
                if inHost(raw, i) {
                    return Problem(offset: i, length: 1, kind: .hostNotPunycode(String(c)))
                }
                let encoded = String(c).utf8.map { "%" + hex($0) }.joined()
                return Problem(offset: i, length: 1, kind: .notEncoded(String(c), encoded: encoded))
            }
            if c == "%" {
                let ok = i + 2 < raw.count && isHex(raw[i + 1]) && isHex(raw[i + 2])
                if !ok {
                    return Problem(offset: i, length: 1, kind: .badPercent)
                }
                i += 3
                continue
            }
            if !allowed(v) {
                let encoded = "%" + hex(UInt8(v))
                return Problem(offset: i, length: 1, kind: .notAllowed(String(c), encoded: encoded))
            }
            i += 1
        }
        let text = String(String.UnicodeScalarView(raw))
        let lower = text.lowercased()
        let scheme = lower.hasPrefix("https://") ? 8 : lower.hasPrefix("http://") ? 7 : nil
        guard let scheme else {
            return Problem(offset: 0, length: raw.count, kind: .notAbsolute)
        }
        let authority = raw[scheme...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@", omittingEmptySubsequences: false).last.map { $0.prefix { $0 != ":" } } ?? []
        if host.isEmpty {
            return Problem(offset: 0, length: raw.count, kind: .noHost)
        }
        return nil
    }

    /// Whether offset `i` lies in the authority of an http(s) URL, where
    /// percent-encoding is no repair.
    static func inHost(_ raw: [Unicode.Scalar], _ i: Int) -> Bool {
        let lower = String(String.UnicodeScalarView(raw.prefix(8))).lowercased()
        let start = lower.hasPrefix("https://") ? 8 : lower.hasPrefix("http://") ? 7 : nil
        guard let start, i >= start else { return false }
        return !raw[start..<i].contains { $0 == "/" || $0 == "?" || $0 == "#" }
    }

    static func isControl(_ v: UInt32) -> Bool { v < 0x20 || (0x7F...0x9F).contains(v) }

    static func isHex(_ c: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(c) || ("a"..."f").contains(c) || ("A"..."F").contains(c)
    }

    /// RFC 3986 unreserved and reserved characters; `%` is handled apart.
    static func allowed(_ v: UInt32) -> Bool {
        guard let c = Unicode.Scalar(v) else { return false }
        if ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) { return true }
        return "-._~:/?#[]@!$&'()*+,;=".unicodeScalars.contains(c)
    }

    static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String(digits[Int(b >> 4)]) + String(digits[Int(b & 0x0F)])
    }

    static func scalarName(_ c: Unicode.Scalar) -> String {
        let h = String(c.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - h.count)) + h
    }
}
