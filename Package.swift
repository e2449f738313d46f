// swift-tools-version:6.2
import PackageDescription

/// Settings every target shares: explicit existentials, visible imports, internal imports by default.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "optunad",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "optunad", targets: ["optunad"]),
        .executable(name: "optunactl", targets: ["optunactl"]),
        .library(name: "OptunaCore", targets: ["OptunaCore"]),
        .library(name: "OptunaClient", targets: ["OptunaClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        .target(name: "OptunaCore", swiftSettings: strictSettings),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "CSQLiteWAL", dependencies: ["CSQLite"]),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        .target(
            name: "OptunaSystemd",
            dependencies: ["CSystemd", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OptunaStorage",
            dependencies: ["OptunaCore", "CSQLite", "CSQLiteWAL"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OptunaProtocol",
            dependencies: ["OptunaCore"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OptunaServer",
            dependencies: [
                "OptunaCore", "OptunaStorage", "OptunaProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OptunaClient",
            dependencies: ["OptunaCore", "OptunaProtocol"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "optunad",
            dependencies: [
                "OptunaServer", "OptunaStorage", "OptunaSystemd",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "optunactl",
            dependencies: [
                "OptunaClient", "OptunaCore", "OptunaProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "optunad-inprocess-bench",
            dependencies: [
                "OptunaCore", "OptunaStorage", "OptunaServer", .product(name: "Logging", package: "swift-log"),
            ],
            path: "bench/InProcess",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "optunad-floor-bench",
            dependencies: [
                "CSQLite", "OptunaServer", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "bench/Floor",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "OptunaCoreTests", dependencies: ["OptunaCore"], resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "OptunaStorageTests",
            dependencies: ["OptunaCore", "OptunaStorage"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "OptunaProtocolTests",
            dependencies: ["OptunaCore", "OptunaProtocol"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "OptunaSystemdTests",
            dependencies: ["OptunaSystemd", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "OptunaServerTests",
            dependencies: ["OptunaCore", "OptunaStorage", "OptunaProtocol", "OptunaServer", "OptunaClient"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
    ]
)
