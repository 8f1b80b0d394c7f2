import Foundation

/// `dabiao page`: the offline self-check page (docs/page.md). One HTML file
/// that carries the checked program as the IR, the JavaScript evaluator and
/// the page's interface, so a school can open it from a USB stick or an
/// e-mail with no install and no network.
enum Page {
    /// The resources the page is made of, by their path below
    /// `Sources/DabiaoCore/Resources` (compiled into the binary).
    static let evaluatorPath = "page/evaluator.js"
    static let uiScriptPath = "page/ui.js"
    static let stylePath = "page/ui.css"

    /// The page for `program`. Deterministic: the same program and the same
    /// binary give the same bytes (no date, no random id).
    static func render(_ program: Program) -> String {
        render(program, resources: BuiltinFiles.all)
    }

    static func render(_ program: Program, resources: [BuiltinFiles.File]) -> String {
        func text(_ path: String) -> String? {
            resources.first { $0.path == path }.map { String(decoding: $0.bytes, as: UTF8.self) }
        }
        // The evaluator is written beside this file by another piece of work;
        // a page without it still opens and says so (ui.js checks).
        let scripts: [(id: String, body: String)] = [
            ("dabiao-boot", bootScript),
            text(evaluatorPath).map { ("dabiao-evaluator", scriptSafe($0)) },
            ("dabiao-ui", scriptSafe(text(uiScriptPath) ?? "")),
        ].compactMap { $0 }
        let style = styleSafe(text(stylePath) ?? "")
        let title = "达标自查 · dabiao \(dabiaoVersion)"
        var out = "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"\(contentSecurityPolicy(scripts: scripts.map(\.body)))\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta name=\"generator\" content=\"dabiao \(dabiaoVersion)\">\n"
        out += "<title>\(title)</title>\n<style>\n\(style)</style>\n</head>\n<body>\n"
        out += "<noscript><p>本页需要启用 JavaScript。This page needs JavaScript.</p></noscript>\n"
        out += "<div id=\"app\"></div>\n"
        out += "<script type=\"application/json\" id=\"dabiao-ir\">\(irData(program))</script>\n"
        for s in scripts {
            out += "<script id=\"\(s.id)\">\(s.body)</script>\n"
        }
        out += "</body>\n</html>\n"
        return out
    }

    /// Sets `globalThis.DABIAO_IR` before the evaluator runs, so an evaluator
    /// that reads it when loaded and one that waits for `dabiao.load(ir)`
    /// both find the program.
    static let bootScript = """
    (function () { var e = document.getElementById("dabiao-ir"); globalThis.DABIAO_IR = JSON.parse(e ? e.textContent : "null"); })();
    """

    /// Only the page's own scripts may run (by hash), only inline style
    /// applies, and nothing may be fetched, posted or framed: a page that
    /// shows the contents of a school's files must not be able to send them
    /// anywhere, even through a bug. Scripts are allowed by hash rather than
    /// by 'unsafe-inline', so markup that a bug let through from a data cell
    /// could still not run (docs/page.md).
    static func contentSecurityPolicy(scripts: [String]) -> String {
        let hashes = scripts.map { "'sha256-\(sha256Base64($0))'" }.joined(separator: " ")
        return "default-src 'none'; script-src \(hashes); style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
    }

    /// The IR as compact JSON without its `tests` member (the page runs no
    /// rulebook tests; they are a third of the IR's size).
    static func irDocument(_ program: Program) -> JSON {
        guard case .object(let members) = IRWriter(program: program).document() else { return .null }
        return .object(members.filter { $0.0 != "tests" })
    }

    /// `<` written as `\u003c`: valid JSON that can never close the script
    /// element it sits in. `<` only occurs inside JSON strings, so the
    /// replacement cannot touch the structure.
    static func irData(_ program: Program) -> String {
        irDocument(program).render(pretty: false).replacingOccurrences(of: "<", with: "\\u003c")
    }

    /// A script's text cannot contain `</script` or `<!--` (they would end or
    /// confuse the element); `<\/` and `<\!--` mean the same inside a
    /// JavaScript string, regular expression or comment, the only places
    /// they can occur in source.
    static func scriptSafe(_ js: String) -> String {
        js.replacingOccurrences(of: "</", with: "<\\/").replacingOccurrences(of: "<!--", with: "<\\!--")
    }

    static func styleSafe(_ css: String) -> String {
        css.replacingOccurrences(of: "</", with: "<\\/")
    }

    static func sha256Base64(_ s: String) -> String {
        let hex = Array(SHA256.hex(Array(s.utf8)).utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var i = 0
        while i + 1 < hex.count {
            bytes.append(nibble(hex[i]) << 4 | nibble(hex[i + 1]))
            i += 2
        }
        return Data(bytes).base64EncodedString()
    }

    private static func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return 0
        }
    }
}
