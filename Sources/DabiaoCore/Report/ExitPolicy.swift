/// When a finished `check` makes the command exit with 1 ("findings")
/// rather than 0, as `cli.md` specifies: failures at or above `--fail-on`,
/// unknown results with `--missing fail`, data problems with
/// `--data-errors fail`. In the library so it is tested without a binary.
public struct ExitPolicy: Sendable, Equatable {
    public static let ok: Int32 = 0
    public static let findings: Int32 = 1
    public static let cannotRun: Int32 = 2
    public static let usage: Int32 = 64

    /// The least severe failure that counts; nil for `--fail-on never`.
    var failOn: Level?
    /// Missing and undefined results count (`--missing fail`).
    var missingFails: Bool
    /// Rejected records and bad cells count (`--data-errors fail`).
    var dataErrorsFail: Bool

    public init(failOn: Level?, missingFails: Bool, dataErrorsFail: Bool) {
        self.failOn = failOn
        self.missingFails = missingFails
        self.dataErrorsFail = dataErrorsFail
    }

    public func code(for r: Report) -> Int32 {
        let s = r.summary
        if let level = failOn {
            let failing = (level <= .error && s.error > 0) || (level <= .warning && s.warning > 0) || (level <= .info && s.info > 0)
            if failing { return Self.findings }
        }
        if missingFails && (s.missing > 0 || s.undefined > 0) { return Self.findings }
        if dataErrorsFail && (!r.dataErrors.isEmpty || r.inputs.contains { $0.rejected > 0 }) { return Self.findings }
        return Self.ok
    }
}
