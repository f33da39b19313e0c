import EngramTheory

extension Construction {
  /// A short description with the parameters ("three-d ε = 0.2, n = 10").
  public var label: String {
    switch self {
    case .threeD(let e, let n): return "d = 3, ε = \(e), n = \(n) (Theorem C.1)"
    case .subspace(let d, let e, let n): return "d = \(d), ε = \(e), n = \(n) (Theorem 3.5)"
    case .hyperplanes(let d, _, let n): return "two hyperplanes in R^\(d), n = \(n)"
    case .twoLines(let a): return "two lines at \(a)°"
    case .worstCase(let t, let d): return "worst case, T = \(t), d = \(d)"
    case .evronIdentity(let e): return "Evron identity, ε = \(e)"
    case .evronCyclic(let k): return "Evron cyclic, k = \(k)"
    }
  }
}
