// The schema the CSV and xlsx fuzz targets load data into (one field of
// every kind, a unit with a scale, a `one of` and an optional field), and
// the load they share.

let fuzzSchema = """
unit 人 = 1
unit 平方米 alias m2
unit 元
unit 万元 = 10000 元
entity school "学校" {
  key code        : text           "学校标识码"
  name            : text           "学校名称"
  level           : text one of ("中职", "高职")  "办学层次"
  students        : integer 人      "全日制在校生数"
  building_area   : number 平方米   "校舍建筑面积"
  equipment_value : number 元       "教学仪器设备总值"
  dual_ratio      : number          "双师型教师比例"
  demo            : bool            "是否示范校"
  founded         : date            "建校日期"
  optional remarks: text            "备注"
}
"""

let fuzzProgram: Program? = compileProject([SourceFile(path: "schema.rules", text: fuzzSchema)]).program

/// Loads `bytes` as the file `path` and checks the record accounting; a
/// broken invariant stops the run so the fuzzer reports the input.
func fuzzLoad(_ bytes: [UInt8], path: String) {
    guard let program = fuzzProgram else { fatalError("the fuzz schema does not compile") }
    var loader = DataLoader(program: program)
    do {
        try loader.load(bytes: bytes, spec: InputSpec(entity: 0, path: path))
    } catch is InputFailure {
        return
    } catch {
        fatalError("unexpected error type: \(error)")
    }
    let info = loader.dataset.inputs[0]
    let table = loader.dataset.tables[0]
    // Every record read is either in the table or rejected with a reason.
    if info.records != table.count + info.rejected { fatalError("records \(info.records) != \(table.count) + \(info.rejected)") }
    if loader.dataset.errors.filter(\.rejectsRecord).count != info.rejected { fatalError("rejected records without a reason") }
    for column in table.columns where column.values.count != table.count { fatalError("ragged columns") }
}
