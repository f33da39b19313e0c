/// Every method `--strategy` accepts, in the order help and docs list them.
///
/// The one list the CLI, the YAML keys, `--help`, the JSON config, the learner's allow-list and
/// docs/strategies.md are generated from; each entry is declared in the method's own file.
public enum MethodRegistry {
  /// The descriptors, naive first.
  public static let all: [MethodDescriptor] = [
    .naive, Joint.descriptor, Cumulative.descriptor, ExperienceReplay.descriptor,
    GEM.descriptor, AGEM.descriptor, EWC.descriptor, EWC.online, SynapticIntelligence.descriptor,
    MAS.descriptor, LwF.descriptor, ICaRL.descriptor, GDumb.descriptor,
    DarkExperienceReplay.descriptor, DarkExperienceReplay.plusPlus, ERACE.descriptor,
    StrongExperienceReplay.descriptor, ContinualBackprop.descriptor, ReDo.descriptor,
    L2.descriptor, L2Init.descriptor, ShrinkPerturb.descriptor, ShrinkPerturb.perStep,
    SpectralRegularization.descriptor,
  ]

  /// The names, in order.
  public static var names: [String] { all.map(\.name) }

  /// The descriptor called `name`.
  public static func descriptor(named name: String) -> MethodDescriptor? {
    all.first { $0.name == name }
  }

  /// Every hyperparameter key once, in the order methods declare them, with each method's
  /// spec of it (methods sharing a key agree on its kind and may differ in default).
  public static var hyperparameters: [(key: String, specs: [(method: String, spec: HyperparameterSpec)])] {
    var order: [String] = []
    var specs: [String: [(method: String, spec: HyperparameterSpec)]] = [:]
    for method in all {
      for spec in method.parameters {
        if specs[spec.key] == nil { order.append(spec.key) }
        specs[spec.key, default: []].append((method.name, spec))
      }
    }
    return order.map { ($0, specs[$0] ?? []) }
  }
}
