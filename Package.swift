// swift-tools-version:6.0
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
            // The standard rulebooks and the sample data set travel inside the
            // binary's resource bundle so `dabiao` works from any directory.
            resources: [.copy("Resources/rules"), .copy("Resources/samples")]
        ),
        .executableTarget(name: "dabiao", dependencies: ["DabiaoCore"]),
        .testTarget(name: "DabiaoCoreTests", dependencies: ["DabiaoCore"], exclude: ["Fixtures"]),
    ]
)
