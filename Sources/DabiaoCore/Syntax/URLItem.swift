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
        var message: Text
        var help: Text
    }

    /// `raw` is the literal as written between its quotes (escapes not
    /// decoded: a URL has no use for them).
    static func problem(_ raw: [Unicode.Scalar]) -> Problem? {
        var i = 0
        while i < raw.count {
            let c = raw[i]
            let v = c.value
            if c == " " || c == "\u{3000}" || (c.properties.isWhitespace && v > 0x7F && !isControl(v)) {
                return Problem(offset: i, length: 1, message: Text("网址中不能有空格", "a URL cannot contain a space"),
                               help: Text("空格写作 %20", "write a space as %20"))
            }
            if isControl(v) {
                return Problem(offset: i, length: 1, message: Text("网址中不能有控制字符 \(scalarName(c))", "a URL cannot contain the control character \(scalarName(c))"),
                               help: Text("删去该字符", "remove the character"))
            }
            if c == "\\" {
                return Problem(offset: i, length: min(2, raw.count - i),
                               message: Text("网址中不能有反斜杠或转义序列", "a URL cannot contain a backslash or an escape sequence"),
                               help: Text("路径用 /；其他字符写作 %XX", "paths use /; write other characters as %XX"))
            }
            if v > 0x7F {
                if inHost(raw, i) {
                    return Problem(offset: i, length: 1,
                                   message: Text("主机名中的 “\(String(c))” 须写成 Punycode", "'\(String(c))' in a host name must be written in Punycode"),
                                   help: Text("中文域名写作 xn-- 开头的形式（浏览器地址栏复制即是）", "write the xn-- form of the domain (as the address bar copies it)"))
                }
                let encoded = String(c).utf8.map { "%" + hex($0) }.joined()
                return Problem(offset: i, length: 1,
                               message: Text("网址中的 “\(String(c))” 须先按 UTF-8 百分号编码", "'\(String(c))' must be percent-encoded (UTF-8) in a URL"),
                               help: Text("写作 \(encoded)；从浏览器地址栏复制的网址通常已编码", "write \(encoded); a URL copied from the address bar usually is"))
            }
            if c == "%" {
                let ok = i + 2 < raw.count && isHex(raw[i + 1]) && isHex(raw[i + 2])
                if !ok {
                    return Problem(offset: i, length: 1, message: Text("“%” 后应为两位十六进制数字", "'%' must be followed by two hex digits"),
                                   help: Text("“%” 本身写作 %25", "write '%' itself as %25"))
                }
                i += 3
                continue
            }
            if !allowed(v) {
                let encoded = "%" + hex(UInt8(v))
                return Problem(offset: i, length: 1,
                               message: Text("字符 “\(String(c))” 不能出现在网址中", "the character '\(String(c))' cannot appear in a URL"),
                               help: Text("写作 \(encoded)", "write \(encoded)"))
            }
            i += 1
        }
        let text = String(String.UnicodeScalarView(raw))
        let lower = text.lowercased()
        let scheme = lower.hasPrefix("https://") ? 8 : lower.hasPrefix("http://") ? 7 : nil
        guard let scheme else {
            return Problem(offset: 0, length: raw.count,
                           message: Text("url 须为 http:// 或 https:// 开头的绝对网址", "url must be an absolute URL starting with http:// or https://"),
                           help: Text("例如 url \"https://www.moe.gov.cn/\"", "e.g. url \"https://www.moe.gov.cn/\""))
        }
        let authority = raw[scheme...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@", omittingEmptySubsequences: false).last.map { $0.prefix { $0 != ":" } } ?? []
        if host.isEmpty {
            return Problem(offset: 0, length: raw.count, message: Text("网址缺少主机名", "the URL has no host"),
                           help: Text("例如 url \"https://www.moe.gov.cn/\"", "e.g. url \"https://www.moe.gov.cn/\""))
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
