import EngramContinual
import Foundation
import Testing

@Suite("Forgetting events")
struct ForgettingEventsTests {
  @Test("§8: correctness 0,1,1,0,1,0,0,1 gives 3 learning and 2 forgetting events")
  func referenceSequence() {
    var events = ForgettingEvents(examples: 3)
    for correct in [0, 1, 1, 0, 1, 0, 0, 1] { events.record(example: 1, correct: correct == 1) }
    #expect(events.learningEvents(of: 1) == 3)
    #expect(events.forgettingEvents(of: 1) == 2)
    #expect(events.presentations(of: 1) == 8)
    #expect(!events.neverLearned(1))
    // The other slots are untouched.
    #expect(events.presentations(of: 0) == 0 && events.presentations(of: 2) == 0)
  }

  @Test("never correct is never learned; correct at first sight is learned with no event")
  func neverLearned() {
    var events = ForgettingEvents(examples: 2)
    for _ in 0..<4 { events.record(example: 0, correct: false) }
    events.record(example: 1, correct: true)
    events.record(example: 1, correct: true)
    #expect(events.neverLearned(0))
    #expect(events.learningEvents(of: 0) == 0 && events.forgettingEvents(of: 0) == 0)
    #expect(events.presentations(of: 0) == 4)
    #expect(!events.neverLearned(1))
    #expect(events.learningEvents(of: 1) == 0)
  }

  @Test("statistics survive JSON; arrays of different lengths are refused")
  func codable() throws {
    var events = ForgettingEvents(examples: 2)
    for correct in [true, false, true] { events.record(example: 0, correct: correct) }
    let data = try JSONEncoder().encode(events)
    #expect(try JSONDecoder().decode(ForgettingEvents.self, from: data) == events)
    var object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    object["presented"] = [1]
    let damaged = try JSONSerialization.data(withJSONObject: object)
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(ForgettingEvents.self, from: damaged)
    }
  }
}
