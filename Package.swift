// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "dabiao",
    products: [
        .library(name: "DabiaoCore", targets: ["DabiaoCore"]),
        .executable(name: "dabiao", targets: ["dabiao"]),
    ],
    targets: [
        .target(
            name: "DabiaoCore",
            // The standard rulebooks and the sample data set are compiled into
            // the binary (the EmbedResources plugin), so `dabiao` needs no
            // resource folder and no source tree beside it.
            exclude: ["Resources"],
            plugins: ["EmbedResources"]
        ),
        .executableTarget(name: "dabiao", dependencies: ["DabiaoCore"]),
        // docs/api.md's example of embedding the library, built so that it
        // cannot go stale; APITests runs it against the CLI.
        .executableTarget(name: "embedding-example", dependencies: ["DabiaoCore"], path: "Examples/Embedding"),
        // Run at build time only; it turns Resources/ into Swift source.
        .executableTarget(name: "EmbedResourcesTool"),
        .plugin(name: "EmbedResources", capability: .buildTool(), dependencies: ["EmbedResourcesTool"]),
        .testTarget(name: "DabiaoCoreTests", dependencies: ["DabiaoCore"], exclude: ["Fixtures"]),
    ]
)
