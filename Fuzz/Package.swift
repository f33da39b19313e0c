// swift-tools-version:5.4
// libFuzzer targets for Engram's parsers: a package of its own, so that `swift build` and
// `swift test` of Engram never see the fuzzer flags. Build and run with `scripts/fuzz`
// (see README.md here); every Swift module is compiled with
// `-sanitize=fuzzer,address -parse-as-library`, and libFuzzer supplies `main`.
//
// Tools version 5.4 on purpose: from 5.5 on, SwiftPM links every executable with
// `--defsym main=<Target>_main` (so that tests can import executables), a symbol that a
// `-parse-as-library` target never defines; the link then fails. See
// https://github.com/swiftlang/swift-package-manager/issues/8731.
import PackageDescription

/// One executable per parser; each defines `LLVMFuzzerTestOneInput` in one file.
let fuzzTargets: [(name: String, engram: [String])] = [
  ("FuzzIDX", ["EngramData"]),
  ("FuzzCSV", ["EngramData"]),
  ("FuzzRunConfig", ["EngramLab"]),
  ("FuzzSweep", ["EngramLab"]),
  ("FuzzTheorySpec", ["EngramTheory"]),
  ("FuzzCheckpoint", ["EngramNN"]),
]

let package = Package(
  name: "EngramFuzz",
  // Named, so that the products below resolve whatever the clone's folder is called.
  dependencies: [.package(name: "Engram", path: "..")],
  targets: [.target(name: "FuzzSupport")]
    + fuzzTargets.map { target in
      .executableTarget(
        name: target.name,
        dependencies: ["FuzzSupport"] + target.engram.map { .product(name: $0, package: "Engram") })
    }
)
