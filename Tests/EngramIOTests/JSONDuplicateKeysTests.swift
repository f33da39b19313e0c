import EngramIO
import Testing

@Suite("Keys given twice in one JSON object")
struct JSONDuplicateKeysTests {
  func first(_ text: String) -> JSONDuplicateKey? {
    JSONDuplicateKeys.first(in: Array(text.utf8))
  }

  @Test("a repeated key is found with its path and both lines")
  func found() {
    #expect(
      first("{\"w_star\": [1],\n \"w_star\": [2]}")
        == JSONDuplicateKey(key: "w_star", path: "w_star", firstLine: 1, line: 2))
    #expect(
      first(#"{"tasks": [{"rows": [[1]]}, {"rows": [[1]], "rows": [[2]]}]}"#)?.path
        == "tasks[1].rows")
    #expect(first(#"{"replay": {"task": 0, "task": 1}}"#)?.path == "replay.task")
  }

  @Test("escapes are resolved before keys are compared, as a decoder would")
  func escapes() {
    #expect(first(#"{"w_star": 1, "w_st\u0061r": 2}"#)?.key == "w_star")
    #expect(first(#"{"a\"b": 1, "a\u0022b": 2}"#)?.key == "a\"b")
    #expect(first(#"{"\ud83d\ude00": 1, "😀": 2}"#)?.key == "😀")
  }

  @Test("equal keys in different objects, and strings that are values, are not duplicates")
  func notDuplicates() {
    #expect(first(#"{"a": {"x": 1}, "b": {"x": 2}}"#) == nil)
    #expect(first(#"[{"x": 1}, {"x": 2}]"#) == nil)
    #expect(first(#"{"a": "a", "b": "a", "c": ["a", "a"]}"#) == nil)
    #expect(first(#"{"a": "{\"a\": 1}", "b": "\\"}"#) == nil)
  }

  @Test("text that is not JSON ends without a trap, deep nesting without recursion")
  func robust() {
    for text in ["", "}", "]]]", "{\"a", "\"\\", "{\"a\":1,\"a\"", ":::,,,{"] {
      _ = first(text)
    }
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(first(deep) == nil)
  }
}
