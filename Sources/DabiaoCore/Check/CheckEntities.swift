/// The `entity` declarations: fields, kinds, units, keys and references.
extension Checker {
    mutating func checkEntities(_ decls: [EntityDecl]) {
        for e in decls {
            if entityIndex[e.name.text] != nil {
                error(e.name.range, Text("实体 \(e.name.text) 重复声明", "entity \(e.name.text) is declared twice"))
                continue
            }
            entityIndex[e.name.text] = entities.count
            entities.append(Entity(name: e.name.text, label: e.label ?? e.name.text, fields: [], keyField: nil, nameField: nil))
        }
        for e in decls {
            guard let ei = entityIndex[e.name.text], entities[ei].fields.isEmpty else { continue }
            var fields: [Field] = []
            var names: [String: SourceRange] = [:]
            for f in e.fields {
                if let prev = names[f.name.text] {
                    error(f.name.range, Text("字段 \(f.name.text) 重复声明", "field \(f.name.text) is declared twice"),
                          help: Text("首次声明在 \(where_(prev))", "first declared at \(where_(prev))"))
                    continue
                }
                names[f.name.text] = f.name.range
                if entityIndex[f.name.text] != nil {
                    error(f.name.range, Text("字段名 \(f.name.text) 与实体同名", "field \(f.name.text) has the name of an entity"),
                          help: Text("换一个字段名，例如 \(f.name.text)_code", "rename the field, e.g. \(f.name.text)_code"))
                }
                var kind: FieldKind
                var unit = DisplayUnit.none
                switch f.type {
                case .number(let u), .integer(let u):
                    let isInt: Bool
                    if case .integer = f.type { isInt = true } else { isInt = false }
                    kind = .number(integer: isInt)
                    if let u {
                        switch units.resolve(u, suggestions: &suggestions) {
                        case .success(let du): unit = du
                        case .failure(let d): report(d)
                        }
                    }
                case .text(let oneOf): kind = .text(oneOf: oneOf)
                case .bool: kind = .bool
                case .date: kind = .date
                case .ref(let target):
                    if let t = entityIndex[target.text] {
                        kind = .ref(entity: t)
                    } else {
                        error(target.range, Text("未声明的实体 “\(target.text)”", "unknown entity '\(target.text)'"),
                              help: suggestions.didYouMean(target.text, among: { Array(entityIndex.keys) }))
                        kind = .text(oneOf: nil)
                    }
                }
                if f.isKey, fields.contains(where: \.isKey) {
                    error(f.name.range, Text("实体 \(e.name.text) 只能有一个 key 字段", "entity \(e.name.text) can have only one key field"))
                }
                fields.append(Field(name: f.name.text, label: f.label ?? f.name.text, kind: kind, unit: unit,
                                    isOptional: f.isOptional && !f.isKey, isKey: f.isKey))
            }
            entities[ei].fields = fields
            entities[ei].keyField = fields.firstIndex { $0.isKey }
            entities[ei].nameField = fields.firstIndex { $0.name == "name" }
                ?? fields.firstIndex { $0.label.hasSuffix("名称") || $0.label.hasSuffix("姓名") }
        }
    }
}
