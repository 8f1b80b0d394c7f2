/// The one place the version is written: `dabiao --version`, the reports'
/// `version` field and the release tarball's name (scripts/release.sh) read it.
public let dabiaoVersion = "0.1.0"
