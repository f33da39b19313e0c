import Testing

@testable import EngramSpelling

@Suite("Spelling suggestions")
struct NearestTests {
  @Test("edit distance counts insertions, deletions and substitutions")
  func distance() {
    #expect(editDistance("kitten", "sitting") == 3)
    #expect(editDistance("", "abc") == 3 && editDistance("abc", "") == 3)
    #expect(editDistance("flaw", "lawn") == 2)
  }

  @Test("a typo gets the closest name, ignoring case; a far word gets none")
  func suggestions() {
    let names = ["replay", "ewc", "online-ewc", "gdumb"]
    #expect(nearest(to: "replya", in: names) == "replay")
    #expect(nearest(to: "EWC", in: names) == "ewc")
    #expect(nearest(to: "onlin-ewc", in: names) == "online-ewc")
    #expect(nearest(to: "transformer", in: names) == nil)
    #expect(nearest(to: "ewc", in: []) == nil)
  }

  @Test("the allowance grows with the word: two edits, or a third of its length")
  func allowance() {
    // "abcdefghi" (9 characters) allows 3 edits; "abcdef" (6) allows 2.
    #expect(nearest(to: "abcdefghi", in: ["abcxyzghi"]) == "abcxyzghi")
    #expect(nearest(to: "abcdefghi", in: ["abwxyzghi"]) == nil)
    #expect(nearest(to: "abcdef", in: ["abxyef"]) == "abxyef")
    #expect(nearest(to: "abcdef", in: ["axyzef"]) == nil)
  }
}
