import EngramContinual

/// The registry as reference text: `engram strategies` prints it and docs/strategies.md is it,
/// so the docs cannot drift from the code.
public enum MethodCatalog {
  /// One Markdown page: a summary table, then each method's hyperparameters.
  public static func markdown(_ methods: [MethodDescriptor] = MethodRegistry.all) -> String {
    var lines = [
      "# Strategies",
      "",
      "Generated from the method registry by `engram strategies --markdown` (do not edit by hand).",
      "Every hyperparameter is a YAML key and a `--flag` of `engram run`; methods compose with `+`",
      "(e.g. `replay+ewc`) unless they claim the same role.",
      "",
      "| `--strategy` | what it does | roles | needs stored task data |",
      "|---|---|---|---|",
    ]
    for method in methods {
      let roles = method.roles.names.joined(separator: ", ")
      lines.append(
        "| `\(method.name)` | \(method.summary) | \(roles.isEmpty ? "—" : roles) | \(method.needsStoredData ? "yes" : "no") |"
      )
    }
    for method in methods where !method.parameters.isEmpty {
      lines += [
        "", "## `\(method.name)`", "", "| key | flag | values | default | meaning |",
        "|---|---|---|---|---|",
      ]
      for spec in method.parameters {
        let flag = "--" + spec.key.replacingOccurrences(of: "_", with: "-")
        lines.append(
          "| `\(spec.key)` | `\(flag)` | \(ConfigKind(spec.kind).expected) | \(spec.defaultText) | \(spec.doc) |"
        )
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// One line per method: name, roles, and its hyperparameters with defaults.
  public static func text(_ methods: [MethodDescriptor] = MethodRegistry.all) -> String {
    methods.map { method in
      let parameters = method.parameters.map { "\($0.key)=\($0.defaultText)" }
      return ([method.name + ":", method.summary] + (parameters.isEmpty ? [] : ["[" + parameters.joined(separator: ", ") + "]"]))
        .joined(separator: " ")
    }.joined(separator: "\n") + "\n"
  }
}
