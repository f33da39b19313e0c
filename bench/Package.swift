// swift-tools-version:6.0
// Engram's benchmarks: a separate package, always built in release (see README.md).
import PackageDescription

let package = Package(
  name: "EngramBench",
  platforms: [.macOS(.v14)],
  dependencies: [.package(name: "Engram", path: "..")],
  targets: [
    .target(name: "BenchSupport", path: "Sources/BenchSupport"),
    .executableTarget(
      name: "theory",
      dependencies: [
        "BenchSupport", .product(name: "EngramTheory", package: "Engram"),
        .product(name: "EngramRandom", package: "Engram"),
      ],
      path: "Sources/theory"),
    .executableTarget(
      name: "train-step",
      dependencies: [
        "BenchSupport", .product(name: "EngramNN", package: "Engram"),
        .product(name: "EngramContinual", package: "Engram"), .product(name: "EngramData", package: "Engram"),
        .product(name: "EngramLinalg", package: "Engram"), .product(name: "EngramRandom", package: "Engram"),
      ],
      path: "Sources/train-step"),
    .executableTarget(
      name: "split-fmnist",
      dependencies: ["BenchSupport", .product(name: "EngramLinalg", package: "Engram")],
      path: "Sources/split-fmnist"),
    .executableTarget(
      name: "replay-study",
      dependencies: ["BenchSupport", .product(name: "EngramLinalg", package: "Engram")],
      path: "Sources/replay-study"),
    .executableTarget(
      name: "online",
      dependencies: ["BenchSupport", .product(name: "EngramLinalg", package: "Engram")],
      path: "Sources/online"),
  ]
)
