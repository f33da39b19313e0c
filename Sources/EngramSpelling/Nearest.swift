/// The candidate closest to `word` by edit distance, if it is close enough to be a typo: the
/// "did you mean" of every error about an unknown name (config keys, strategy names, spec
/// fields, constructions).
///
/// Case is ignored. A candidate counts as a typo when its Levenshtein distance is at most
/// max(2, ⌊word.count / 3⌋); ties go to the earliest candidate.
/// - Parameters:
///   - word: what the user wrote.
///   - candidates: the valid names, in the order they should win ties.
/// - Returns: the closest candidate, or nil when none is close or there are none.
/// - Complexity: O(Σ word.count · candidate.count).
public func nearest(to word: String, in candidates: [String]) -> String? {
  let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
  guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
  return best.1 <= max(2, word.count / 3) ? best.0 : nil
}

/// Levenshtein distance between two strings (insertions, deletions and substitutions of
/// characters, each costing 1).
func editDistance(_ a: String, _ b: String) -> Int {
  let a = Array(a)
  let b = Array(b)
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  var previous = Array(0...b.count)
  var current = previous
  for i in 1...a.count {
    current[0] = i
    for j in 1...b.count {
      let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
      current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
    }
    swap(&previous, &current)
  }
  return previous[b.count]
}
