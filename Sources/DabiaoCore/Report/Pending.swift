// TEMPORARY until the renderers land; not to be committed.
public enum CSVReport { public static func render(_ r: Report, lang: Lang) -> String { "" }
  public static func renderRectification(_ r: Report, lang: Lang) -> String { "" } }
public enum MarkdownReport { public static func render(_ r: Report, lang: Lang) -> String { "" }
  public static func renderRectification(_ r: Report, lang: Lang) -> String { "" } }
public enum HTMLReport { public static func render(_ r: Report, lang: Lang) -> String { "" } }
public enum JUnitReport { public static func render(_ r: Report, lang: Lang) -> String { "" } }
public enum SARIFReport { public static func render(_ r: Report, lang: Lang) -> String { "" } }
public struct DiffResult { public var newlyFailing: [Int] = [] }
public enum ReportDiff { public static func diff(old: Data, new: Data) throws -> DiffResult { DiffResult() }
  public static func renderJSON(_ d: DiffResult, lang: Lang) -> String { "" }
  public static func renderText(_ d: DiffResult, lang: Lang) -> String { "" }
  public static func renderMarkdown(_ d: DiffResult, lang: Lang) -> String { "" } }
public enum Template { public static func csv(for e: Entity, lang: Lang) -> String { "" } }
import Foundation
