// libFuzzer target: ZIP + inflate + XLSX workbook reader, and the loader's
// spreadsheet path, on arbitrary bytes.

// `fuzzProgram` (the school schema) is in fuzz/shared/schema.swift.

// Parts of a fixed workbook around a fuzzed sheet: mutations of a real .xlsx
// rarely get past the CRC-32 check, so an input starting with `<` is taken as
// the XML of the sheet and wrapped into a stored (uncompressed) archive here.
let fuzzParts: [(String, String)] = [
    ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>"),
    ("_rels/.rels", "<Relationships><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"),
    ("xl/workbook.xml", "<workbook><workbookPr date1904=\"0\"/><sheets><sheet name=\"学校\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
    ("xl/_rels/workbook.xml.rels", "<Relationships><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/><Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>"),
    ("xl/sharedStrings.xml", "<sst><si><t>学校标识码</t></si><si><t>学校名称</t></si><si><t>办学层次</t></si><si><t>全日制在校生数</t></si><si><t>校舍建筑面积（平方米）</t></si><si><t>教学仪器设备总值（万元）</t></si><si><t>双师型教师比例</t></si><si><t>是否示范校</t></si><si><t>建校日期</t></si><si><t>中职</t></si><si><r><t>—</t></r></si><si><t>1,234</t></si></sst>"),
    ("xl/styles.xml", "<styleSheet><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/></numFmts><cellXfs count=\"3\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/></cellXfs></styleSheet>"),
]

func storedZip(_ files: [(String, [UInt8])]) -> [UInt8] {
    var out: [UInt8] = []
    var central: [UInt8] = []
    func u16(_ v: Int, _ a: inout [UInt8]) { a += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
    func u32(_ v: UInt32, _ a: inout [UInt8]) { a += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }
    for (name, data) in files {
        let n = Array(name.utf8)
        let crc = zipCRC32(data)
        let offset = UInt32(out.count)
        u32(0x0403_4B50, &out); u16(20, &out); u16(0, &out); u16(0, &out); u16(0, &out); u16(0, &out)
        u32(crc, &out); u32(UInt32(data.count), &out); u32(UInt32(data.count), &out); u16(n.count, &out); u16(0, &out)
        out += n
        out += data
        u32(0x0201_4B50, &central); u16(20, &central); u16(20, &central); u16(0, &central); u16(0, &central)
        u16(0, &central); u16(0, &central); u32(crc, &central); u32(UInt32(data.count), &central)
        u32(UInt32(data.count), &central); u16(n.count, &central); u16(0, &central); u16(0, &central)
        u16(0, &central); u16(0, &central); u32(0, &central); u32(offset, &central)
        central += n
    }
    let cdOffset = UInt32(out.count)
    out += central
    u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(files.count, &out); u16(files.count, &out)
    u32(UInt32(central.count), &out); u32(cdOffset, &out); u16(0, &out)
    return out
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXLSX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if bytes.first == UInt8(ascii: "<") {
        bytes = storedZip(fuzzParts.map { ($0.0, Array($0.1.utf8)) } + [("xl/worksheets/sheet1.xml", bytes)])
    }
    if let workbook = try? XLSXWorkbook(bytes: bytes) {
        for name in workbook.sheetNames {
            guard let sheet = try? workbook.sheet(named: name) else { continue }
            if let first = sheet.rows.first?.number {
                _ = try? sheet.fillingMergedCells(inRows: first...(first + 2))
            }
            for row in sheet.rows.prefix(50) {
                for case let .date(serial)? in row.cells {
                    _ = excelSerialToISO8601(serial, uses1904: sheet.uses1904)
                }
            }
        }
    }
    fuzzLoad(bytes, path: "school.xlsx")
    return 0
}
