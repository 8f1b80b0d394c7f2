import Foundation
import PackagePlugin

/// Compiles the files below a target's `Resources` folder (the rulebooks and
/// the sample data) into a Swift source file, so the binary carries them and
/// needs no resource folder beside it. The file list is taken afresh on every
/// build, so an added, changed or removed rule file is never stale.
@main
struct EmbedResources: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let module = target as? SourceModuleTarget else { return [] }
        let root = module.directoryURL.appending(path: "Resources")
        var inputs: [URL] = []
        if let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in walk where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                inputs.append(url)
            }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedResources.swift")
        return [.buildCommand(
            displayName: "Embedding \(inputs.count) resource files of \(target.name)",
            executable: try context.tool(named: "EmbedResourcesTool").url,
            arguments: [root.path, output.path],
            inputFiles: inputs,
            outputFiles: [output]
        )]
    }
}
