/// The `entity` declarations: fields, kinds, units, keys and references.
extension Checker {
    mutating func checkEntities(_ decls: [EntityDecl]) {
        for e in decls {
            if entityIndex[e.name.text] != nil {
                report(.entityDeclaredTwice(e.name.text, at: e.name.range, first: decls.first { $0.name.text == e.name.text }?.name.range))
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
                    report(.fieldDeclaredTwice(f.name.text, at: f.name.range, first: prev))
                    continue
                }
                names[f.name.text] = f.name.range
                if entityIndex[f.name.text] != nil {
                    report(.fieldNamedLikeEntity(f.name.text, at: f.name.range))
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
                        report(.unknownEntity(target.text, at: target.range, suggestion: suggestions.closest(target.text, among: { Array(entityIndex.keys) })))
                        kind = .text(oneOf: nil)
                    }
                }
                if f.isKey, fields.contains(where: \.isKey) {
                    report(.secondKeyField(e.name.text, at: f.name.range, first: e.fields.first { $0.isKey }?.name.range))
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
