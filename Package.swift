// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "Engram",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "EngramRandom", targets: ["EngramRandom"]),
    .library(name: "EngramIO", targets: ["EngramIO"]),
    .library(name: "EngramLinalg", targets: ["EngramLinalg"]),
    .library(name: "EngramData", targets: ["EngramData"]),
    .library(name: "EngramNN", targets: ["EngramNN"]),
    .library(name: "EngramContinual", targets: ["EngramContinual"]),
    .library(name: "EngramLab", targets: ["EngramLab"]),
    .library(name: "EngramTheory", targets: ["EngramTheory"]),
    .library(name: "EngramTensorBoard", targets: ["EngramTensorBoard"]),
    .executable(name: "engram", targets: ["engram"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
  ],
  targets: [
    // OpenBLAS (CBLAS) + LAPACKE from Debian on Linux; Accelerate on Apple platforms.
    .target(
      name: "CLinearAlgebra",
      linkerSettings: [
        .linkedLibrary("openblas", .when(platforms: [.linux])),
        .linkedLibrary("lapacke", .when(platforms: [.linux])),
        .linkedFramework(
          "Accelerate", .when(platforms: [.macOS, .iOS, .tvOS, .watchOS, .visionOS])),
      ]
    ),
    .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
    .target(name: "EngramRandom"),
    .target(name: "EngramIO"),
    // prctl for sweep workers (variadic in C, so not callable from Swift).
    .target(name: "CProcess"),
    // "Did you mean": shared by the theory engine's and the lab's errors, below both.
    .target(name: "EngramSpelling"),
    .target(
      name: "EngramData",
      dependencies: [
        "CZlib", "EngramIO", "EngramRandom", .product(name: "CSV", package: "CSV.swift"),
      ]),
    .target(name: "EngramLinalg", dependencies: ["CLinearAlgebra", "EngramRandom"]),
    .target(
      name: "EngramTheory",
      dependencies: ["EngramIO", "EngramLinalg", "EngramRandom", "EngramSpelling"]),
    .target(name: "EngramNN", dependencies: ["EngramIO", "EngramLinalg", "EngramRandom", "CZlib"]),
    .target(
      name: "EngramContinual", dependencies: ["EngramIO", "EngramNN", "EngramData", "EngramLinalg", "EngramRandom"]),
    .target(name: "EngramTestSupport", dependencies: ["EngramData"]),
    .target(
      name: "EngramLab",
      dependencies: [
        "EngramContinual", "EngramNN", "EngramData", "EngramIO", "EngramTheory", "EngramRandom",
        "EngramSpelling", "Yams", .product(name: "GRDB", package: "GRDB.swift"),
      ]),
    // TensorBoard event files: a consumer of the lab, like the CLI, so that the lab (and the
    // fuzz targets built on it) do not carry protobuf. Generated code: scripts/generate-protos.
    .target(
      name: "EngramTensorBoard",
      dependencies: [
        "EngramLab", "EngramContinual", "EngramIO",
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
      ]),
    // `engram serve`: the store's pages over HTTP, read-only; also above the lab.
    .target(
      name: "EngramServe",
      dependencies: [
        "EngramLab", .product(name: "FlyingFox", package: "FlyingFox"),
        .product(name: "FlyingSocks", package: "FlyingFox"),
      ]),
    .executableTarget(
      name: "engram",
      dependencies: [
        "CProcess", "EngramTheory", "EngramContinual", "EngramNN", "EngramData", "EngramIO",
        "EngramLab", "EngramTensorBoard", "EngramServe",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "EngramRandomTests", dependencies: ["EngramRandom"]),
    .testTarget(name: "EngramIOTests", dependencies: ["EngramIO"]),
    .testTarget(name: "EngramSpellingTests", dependencies: ["EngramSpelling"]),
    .testTarget(name: "EngramNNTests", dependencies: ["EngramIO", "EngramNN", "EngramRandom"]),
    .testTarget(
      name: "EngramContinualTests",
      dependencies: [
        "EngramContinual", "EngramNN", "EngramData", "EngramRandom", "EngramTestSupport",
      ]),
    .testTarget(
      name: "EngramDataTests",
      dependencies: ["EngramData", "EngramRandom", "EngramTestSupport", "CZlib"]),
    .testTarget(name: "EngramLinalgTests", dependencies: ["EngramLinalg", "EngramRandom"]),
    .testTarget(name: "EngramTheoryTests", dependencies: ["EngramTheory"]),
    .testTarget(
      name: "EngramLabTests",
      dependencies: [
        "EngramLab", "EngramContinual", "EngramData", "EngramLinalg", "EngramRandom",
        "EngramTheory", "EngramTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
      ]),
    .testTarget(
      name: "EngramTensorBoardTests",
      dependencies: ["EngramTensorBoard", "EngramLab", "EngramContinual"]),
    .testTarget(
      name: "EngramServeTests",
      dependencies: [
        "EngramServe", "EngramLab", "EngramContinual", .product(name: "GRDB", package: "GRDB.swift"),
      ]),
    .testTarget(
      name: "EngramCLITests",
      dependencies: [
        "engram", "EngramTestSupport", "EngramData", "EngramNN", "EngramRandom", "EngramLab",
      ]),
  ]
)
