import EngramContinual
import Foundation
import Testing

@testable import EngramLab

@Suite("Method catalog")
struct MethodCatalogTests {
  @Test("docs/strategies.md is the registry's catalog (regenerate: engram strategies --markdown)")
  func docsMatchRegistry() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let page = try String(
      contentsOf: root.appendingPathComponent("docs/strategies.md"), encoding: .utf8)
    #expect(page == MethodCatalog.markdown())
  }

  @Test("every registered hyperparameter is a configuration key with the method's kind")
  func keysAreFields() {
    for (key, specs) in MethodRegistry.hyperparameters {
      let field = RunConfig.field(named: key)
      #expect(field?.kind == ConfigKind(specs[0].spec.kind), "\(key)")
      #expect(MethodCatalog.markdown().contains("`\(key)`"), "\(key)")
    }
  }
}
