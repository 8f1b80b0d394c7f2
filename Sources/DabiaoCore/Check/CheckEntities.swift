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
            checkDisplay(e, ei)
        }
    }

    /// `display name FIELD`, `display region FIELD`: the record's name and 市州 in reports.
    mutating func checkDisplay(_ e: EntityDecl, _ ei: Int) {
        var seen: [DisplayRole: SourceRange] = [:]
        for d in e.display {
            if let first = seen[d.role] {
                report(.displayDeclaredTwice(d.role.rawValue, at: d.range, first: first))
                continue
            }
            seen[d.role] = d.range
            let fields = entities[ei].fields
            guard let fi = fields.firstIndex(where: { $0.name == d.field.text }) else {
                report(.unknownField(d.field.text, of: e.name.text, at: d.field.range,
                                     suggestion: suggestions.closest(d.field.text, among: { fields.map(\.name) })))
                continue
            }
            guard case .text = fields[fi].kind else {
                report(.displayFieldNotText(d.role.rawValue, field: d.field.text, at: d.field.range))
                continue
            }
            switch d.role {
            case .name: entities[ei].nameField = fi
            case .region: entities[ei].regionField = fi
            }
        }
        // Rulebooks written before `display` existed (a province's exported
        // copy) keep their names and 市州 in reports: without the item, the
        // field these rulebooks have always used (docs/language-notes.md).
        let fields = entities[ei].fields
        if seen[.name] == nil {
            entities[ei].nameField = fields.firstIndex { $0.name == "name" }
                ?? fields.firstIndex { $0.label.hasSuffix("名称") || $0.label.hasSuffix("姓名") }
        }
        if seen[.region] == nil {
            entities[ei].regionField = fields.firstIndex { $0.name == "city" || $0.label.contains("市州") }
        }
    }
}
