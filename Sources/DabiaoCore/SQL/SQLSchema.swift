/// The SQL engines `dabiao sql` writes for.
public enum SQLDialect: String, Sendable, CaseIterable {
    case duckdb, postgres, spark

    /// A quoted identifier: any name, even a keyword or one with a quote in it.
    func quote(_ name: String) -> String {
        switch self {
        case .duckdb, .postgres: return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        case .spark: return "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
        }
    }

    func type(_ kind: FieldKind) -> String {
        switch (self, kind) {
        case (.spark, .text), (.spark, .ref): return "STRING"
        case (_, .text), (_, .ref): return "TEXT"
        case (.postgres, .number): return "DOUBLE PRECISION"
        case (_, .number): return "DOUBLE"
        case (_, .bool): return "BOOLEAN"
        case (_, .date): return "DATE"
        }
    }
}

/// `dabiao sql --schema`: CREATE TABLE statements for the entities and their
/// baselines, matching the files `dabiao export` writes (same columns, same
/// order, so a positional `COPY … (HEADER)` lines up). Read from the checked
/// Program, the same entity list the IR's `entities` carries (docs/sql.md).
enum SQLSchema {
    static func render(_ program: Program, dialect: SQLDialect) -> String {
        var out = "-- dabiao \(dabiaoVersion) sql --schema --dialect \(dialect.rawValue)\n"
        out += "-- One table per entity and prev_ENTITY for its baseline; columns in the order of `dabiao export`'s files.\n"
        out += "-- No NOT NULL: a blank cell is a missing value, which the rules judge (docs/sql.md).\n"
        out += "-- No FOREIGN KEY: a reference to an absent record is missing data the rules report, not a load error.\n"
        for prefix in ["", "prev_"] {
            for entity in program.entities {
                out += "\n" + table(entity, program: program, name: prefix + entity.name, baseline: !prefix.isEmpty, dialect: dialect)
            }
        }
        return out
    }

    static func table(_ entity: Entity, program: Program, name: String, baseline: Bool, dialect: SQLDialect) -> String {
        var out = "-- " + comment(entity.label) + (baseline ? " (baseline, for prev)" : "") + "\n"
        out += "CREATE TABLE \(dialect.quote(name)) (\n"
        for (i, f) in entity.fields.enumerated() {
            var line = "  \(dialect.quote(f.name)) \(dialect.type(f.kind))"
            var notes = [comment(f.label)]
            if f.isKey {
                switch dialect {
                case .duckdb, .postgres: line += " PRIMARY KEY"
                // Spark SQL declares no enforced keys; dabiao already rejected duplicates.
                case .spark: notes.append("key (unique in dabiao's export; Spark SQL enforces no primary key)")
                }
            }
            switch f.kind {
            case .number(let integer):
                let unit = f.unit.symbol
                if integer { notes.append("integer") }
                if !unit.isEmpty { notes.append("unit " + comment(unit)) }
            case .ref(let target):
                let targetName = program.entities.indices.contains(target) ? program.entities[target].name : "?"
                notes.append("ref to " + comment(targetName))
            case .text(let allowed?): notes.append("one of " + comment(allowed.joined(separator: ", ")))
            case .text(nil), .bool, .date: break
            }
            if i + 1 < entity.fields.count { line += "," }
            out += line + " -- " + notes.joined(separator: "; ") + "\n"
        }
        out += ");\n"
        return out
    }

    /// Text for a `--` comment: a line break in a label would end the
    /// comment and turn the rest of the label into SQL.
    static func comment(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { u in
            u.value < 0x20 || u.value == 0x7F || u.value == 0x85 || u.value == 0x2028 || u.value == 0x2029 ? " " : u
        }))
    }
}
