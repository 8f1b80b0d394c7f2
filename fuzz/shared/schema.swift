// The schema the CSV and xlsx fuzz targets load data into: one field of
// every kind, a unit with a scale, a `one of` and an optional field.

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
