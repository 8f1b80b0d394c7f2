/// A minimal SpreadsheetML writer for the data templates: text cells only,
/// a fixed set of cell styles, column formats, frozen header rows and list
/// validations. What it writes opens in Excel, WPS and LibreOffice and reads
/// back through `XLSXWorkbook`; the bytes depend only on the sheets given.
struct XLSXWriter {
    /// The workbook's cell formats (`cellXfs` indexes in styles.xml).
    enum Style: Int {
        case general = 0
        /// Number format 49 (`@`): whatever is typed stays text, so an 18-digit
        /// code keeps its digits instead of becoming 9.16201E+17.
        case text = 1
        case header = 2
        case hint = 3
        /// `yyyy-mm-dd`, so a typed date shows the way the CSV hint asks for it.
        case date = 4
    }

    struct Column {
        var width: Double
        var style: Style
    }

    struct Cell {
        /// Shared-string text, or the literal of a number cell.
        var text: String
        var style: Style
        /// A number cell, as a spreadsheet would store one (tests of what
        /// the reader makes of numbers in code columns use it).
        var isNumber = false
        init(_ text: String, _ style: Style, number: Bool = false) {
            self.text = text
            self.style = style
            self.isNumber = number
        }
    }

    struct Validation {
        /// 0-based column; the list applies from `firstRow` to the last row of the sheet.
        var column: Int
        var firstRow: Int
        /// Either the values themselves (`"a,b"`) or a range on another sheet.
        var formula: String
        /// A warning lets the provider keep another accepted spelling (Y, 1, true…);
        /// a stop refuses anything not in the list.
        var warnOnly: Bool
        var errorTitle: String
        var error: String
    }

    struct Sheet {
        var name: String
        var hidden = false
        var columns: [Column] = []
        /// Rows from row 1 down.
        var rows: [[Cell]] = []
        /// Rows kept in view while scrolling (the header and the hint row).
        var frozenRows = 0
        var validations: [Validation] = []
    }

    var sheets: [Sheet] = []

    static let mainNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let pkgRelNS = "http://schemas.openxmlformats.org/package/2006/relationships"
    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let maxRow = 1_048_576

    func write() throws -> [UInt8] {
        var strings: [String] = []
        var stringIndex: [String: Int] = [:]
        var stringUses = 0
        func shared(_ s: String) -> Int {
            stringUses += 1
            if let i = stringIndex[s] { return i }
            stringIndex[s] = strings.count
            strings.append(s)
            return strings.count - 1
        }
        let firstVisible = sheets.firstIndex { !$0.hidden } ?? 0
        let sheetXML = sheets.enumerated().map { sheetPart($0.element, selected: $0.offset == firstVisible, shared: shared) }

        var zip = ZipWriter()
        var types = XLSXWriter.declaration
            + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        for i in sheets.indices {
            types += "<Override PartName=\"/xl/worksheets/sheet\(i + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        types += "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
            + "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
            + "</Types>"
        try zip.add("[Content_Types].xml", Array(types.utf8))
        try zip.add("_rels/.rels", Array((XLSXWriter.declaration + "<Relationships xmlns=\"\(XLSXWriter.pkgRelNS)\">"
            + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
            + "</Relationships>").utf8))

        var workbook = XLSXWriter.declaration + "<workbook xmlns=\"\(XLSXWriter.mainNS)\" xmlns:r=\"\(XLSXWriter.relNS)\">"
            + "<bookViews><workbookView activeTab=\"\(firstVisible)\"/></bookViews><sheets>"
        var rels = XLSXWriter.declaration + "<Relationships xmlns=\"\(XLSXWriter.pkgRelNS)\">"
        for (i, s) in sheets.enumerated() {
            workbook += "<sheet name=\"\(xmlEscape(s.name))\" sheetId=\"\(i + 1)\"" + (s.hidden ? " state=\"hidden\"" : "") + " r:id=\"rId\(i + 1)\"/>"
            rels += "<Relationship Id=\"rId\(i + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(i + 1).xml\"/>"
        }
        workbook += "</sheets></workbook>"
        rels += "<Relationship Id=\"rId\(sheets.count + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
            + "<Relationship Id=\"rId\(sheets.count + 2)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
            + "</Relationships>"
        try zip.add("xl/workbook.xml", Array(workbook.utf8))
        try zip.add("xl/_rels/workbook.xml.rels", Array(rels.utf8))
        for (i, xml) in sheetXML.enumerated() {
            try zip.add("xl/worksheets/sheet\(i + 1).xml", Array(xml.utf8))
        }
        try zip.add("xl/styles.xml", Array(XLSXWriter.styles.utf8))
        var sst = XLSXWriter.declaration + "<sst xmlns=\"\(XLSXWriter.mainNS)\" count=\"\(stringUses)\" uniqueCount=\"\(strings.count)\">"
        for s in strings { sst += "<si><t xml:space=\"preserve\">\(xmlEscape(s))</t></si>" }
        sst += "</sst>"
        try zip.add("xl/sharedStrings.xml", Array(sst.utf8))
        return try zip.finish()
    }

    /// Elements in the order the schema (CT_Worksheet) requires: Excel
    /// refuses a sheet whose parts come in another order.
    private func sheetPart(_ s: Sheet, selected: Bool, shared: (String) -> Int) -> String {
        var xml = XLSXWriter.declaration + "<worksheet xmlns=\"\(XLSXWriter.mainNS)\" xmlns:r=\"\(XLSXWriter.relNS)\">"
        let width = max(s.columns.count, s.rows.map(\.count).max() ?? 0)
        if width > 0, !s.rows.isEmpty {
            xml += "<dimension ref=\"A1:\(cellReference(row: s.rows.count, column: width - 1))\"/>"
        }
        xml += "<sheetViews><sheetView" + (selected ? " tabSelected=\"1\"" : "") + " workbookViewId=\"0\">"
        if s.frozenRows > 0 {
            let topLeft = "A\(s.frozenRows + 1)"
            xml += "<pane ySplit=\"\(s.frozenRows)\" topLeftCell=\"\(topLeft)\" activePane=\"bottomLeft\" state=\"frozen\"/>"
                + "<selection pane=\"bottomLeft\" activeCell=\"\(topLeft)\" sqref=\"\(topLeft)\"/>"
        }
        xml += "</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>"
        if !s.columns.isEmpty {
            xml += "<cols>"
            for (i, c) in s.columns.enumerated() {
                // Whole-column style: a cell typed later takes the column's format.
                xml += "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(formatWidth(c.width))\" style=\"\(c.style.rawValue)\" customWidth=\"1\"/>"
            }
            xml += "</cols>"
        }
        xml += "<sheetData>"
        for (r, row) in s.rows.enumerated() {
            xml += "<row r=\"\(r + 1)\">"
            for (c, cell) in row.enumerated() {
                let ref = cellReference(row: r + 1, column: c)
                if cell.isNumber {
                    xml += "<c r=\"\(ref)\" s=\"\(cell.style.rawValue)\"><v>\(xmlEscape(cell.text))</v></c>"
                } else {
                    xml += "<c r=\"\(ref)\" s=\"\(cell.style.rawValue)\" t=\"s\"><v>\(shared(cell.text))</v></c>"
                }
            }
            xml += "</row>"
        }
        xml += "</sheetData>"
        if !s.validations.isEmpty {
            xml += "<dataValidations count=\"\(s.validations.count)\">"
            for v in s.validations {
                let column = excelColumnName(v.column)
                xml += "<dataValidation type=\"list\"" + (v.warnOnly ? " errorStyle=\"warning\"" : "")
                    + " allowBlank=\"1\" showErrorMessage=\"1\" errorTitle=\"\(xmlEscape(v.errorTitle))\" error=\"\(xmlEscape(v.error))\""
                    + " sqref=\"\(column)\(v.firstRow):\(column)\(XLSXWriter.maxRow)\"><formula1>\(xmlEscape(v.formula))</formula1></dataValidation>"
            }
            xml += "</dataValidations>"
        }
        xml += "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></worksheet>"
        return xml
    }

    private func formatWidth(_ w: Double) -> String {
        let tenths = Int((min(max(w, 1), 255) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// Fonts: regular, bold (headers), grey italic (the hint row). Fill 2 shades
    /// the header. Number format 164 is the ISO date; 49 is the built-in `@`.
    static let styles = declaration + "<styleSheet xmlns=\"\(mainNS)\">"
        + "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/></numFmts>"
        + "<fonts count=\"3\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
        + "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>"
        + "<font><i/><sz val=\"10\"/><color rgb=\"FF808080\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts>"
        + "<fills count=\"3\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill>"
        + "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFDDEBF7\"/><bgColor indexed=\"64\"/></patternFill></fill></fills>"
        + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
        + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        + "<cellXfs count=\"5\">"
        + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
        + "<xf numFmtId=\"49\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"49\" fontId=\"1\" fillId=\"2\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\" applyFont=\"1\" applyFill=\"1\"/>"
        + "<xf numFmtId=\"49\" fontId=\"2\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\" applyFont=\"1\"/>"
        + "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
        + "</styleSheet>"
}

/// Text for an XML attribute or element. Characters XML 1.0 cannot carry
/// (controls other than tab and line breaks) become OOXML's `_xHHHH_`, and
/// an underscore that would read as the start of such an escape is itself
/// escaped, so every text reads back as written.
func xmlEscape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    let scalars = Array(s.unicodeScalars)
    for (i, u) in scalars.enumerated() {
        switch u {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "\t", "\n", "\r": out += "&#\(u.value);"
        case "_" where looksLikeOOXMLEscape(scalars, i):
            out += "_x005F_"
        default:
            if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF {
                let hex = String(u.value, radix: 16, uppercase: true)
                out += "_x" + String(repeating: "0", count: 4 - hex.count) + hex + "_"
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
    return out
}

private func looksLikeOOXMLEscape(_ s: [Unicode.Scalar], _ i: Int) -> Bool {
    guard i + 6 < s.count, s[i + 1] == "x", s[i + 6] == "_" else { return false }
    return s[(i + 2)..<(i + 6)].allSatisfy { $0.properties.isASCIIHexDigit }
}
