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

@Suite("Settings documentation")
struct SettingsDocumentationTests {
  @Test("docs/cli.md documents every engram run setting as `--flag` / `key`")
  func everyKeyDocumented() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let text = try String(contentsOf: root.appendingPathComponent("docs/cli.md"), encoding: .utf8)
    let methodKeys = Set(MethodRegistry.hyperparameters.map(\.key))
    for field in RunConfig.fields where !methodKeys.contains(field.key) {
      #expect(text.contains("`\(field.flag)` / `\(field.key)`"), "\(field.key) is not in docs/cli.md")
    }
  }
}
