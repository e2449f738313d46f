#!/bin/sh
# Builds and runs the SQLite storage benchmark in release mode, in a scratch package beside the repository's
# sources (so it needs neither Package.swift changes nor the NIO dependencies). Pass --quick for a short run.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${TMPDIR:-/tmp}/optunad-sqlite-bench
mkdir -p "$work/Sources/bench"
for target in OptunaCore CSQLite OptunaStorage; do ln -sfn "$repo/Sources/$target" "$work/Sources/$target"; done
ln -sfn "$repo/bench/sqlite-storage/main.swift" "$work/Sources/bench/main.swift"
cat > "$work/Package.swift" <<'SWIFT'
// swift-tools-version:6.2
import PackageDescription

let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]
let package = Package(
    name: "sqlite-bench",
    platforms: [.macOS(.v15)],
    targets: [
        .target(name: "OptunaCore", swiftSettings: settings),
        .systemLibrary(name: "CSQLite"),
        .target(name: "OptunaStorage", dependencies: ["OptunaCore", "CSQLite"], swiftSettings: settings),
        .executableTarget(name: "bench", dependencies: ["OptunaCore", "OptunaStorage"], swiftSettings: settings),
    ]
)
SWIFT
cd "$work"
swift build -c release --product bench >&2
exec "$work/.build/release/bench" "$@"
