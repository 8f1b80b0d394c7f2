import XCTest
@testable import DabiaoCore

final class TerminalSafetyTests: XCTestCase {
    func testControlCharactersAreEscaped() {
        XCTAssertEqual(TerminalSafety.escapeControls("a\u{1B}[2Jb\u{07}c\u{7F}d\u{85}e"), "a\\x1b[2Jb\\x07c\\x7fd\\x85e")
        XCTAssertEqual(TerminalSafety.escapeControls("行一\n\t行二"), "行一\n\t行二", "line feed and tab are layout, not control")
        XCTAssertEqual(TerminalSafety.escapeControls("平方米 ㎡ 50°"), "平方米 ㎡ 50°")
    }

    func testOnlyTheReportsOwnColoursSurvive() {
        let coloured = "\u{1B}[31m不达标\u{1B}[0m"
        XCTAssertEqual(TerminalSafety.escapeControls(coloured, allowingColour: true), coloured)
        XCTAssertEqual(TerminalSafety.escapeControls(coloured), "\\x1b[31m不达标\\x1b[0m")
        XCTAssertEqual(TerminalSafety.escapeControls("\u{1B}[2J\u{1B}[999m\u{1B}]0;t\u{07}", allowingColour: true),
                       "\\x1b[2J\\x1b[999m\\x1b]0;t\\x07")
    }
}
