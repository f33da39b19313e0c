import EngramData
import Foundation
import Testing

/// Files a hostile or careless user wrote: each was accepted before, as something other than
/// what it says (issue 14, "silent acceptance"). Each must be refused at its line and column.
@Suite("CSV: no number or label is accepted as something else")
struct CSVStrictnessTests {
  func read(_ text: String, labelColumn: CSVDataset.LabelColumn = .first) throws
    -> CSVDataset.Result
  {
    let url = try temporaryDirectory().appendingPathComponent("bad.csv")
    try Data(text.utf8).write(to: url)
    return try CSVDataset.read(url, labelColumn: labelColumn)
  }

  func message(_ text: String, labelColumn: CSVDataset.LabelColumn = .first) -> String? {
    do {
      _ = try read(text, labelColumn: labelColumn)
      return nil
    } catch {
      return "\(error)"
    }
  }

  @Test(
    "numbers with trailing characters, NULs, hexadecimal or inf are refused in feature fields",
    arguments: [
      ("label,a\n0,1\n1,3.5abc\n", "bad.csv: line 3, column 2: '3.5abc' is not a finite number"),
      ("label,a\n0,1\n1,3.5\u{0}abc\n", "bad.csv: line 3, column 2: '3.5\u{0}abc' is not"),
      ("0,1\n1,0x1p3\n", "bad.csv: line 2, column 2: '0x1p3' is not a finite number"),
      ("0,1\n1,inf\n", "bad.csv: line 2, column 2: 'inf' is not a finite number"),
      ("0,1\n1,1e999\n", "bad.csv: line 2, column 2: '1e999' is not a finite number"),
    ])
  func badNumbers(text: String, expected: String) {
    let error = message(text)
    #expect(error?.hasPrefix(expected) == true, "\(error ?? "accepted")")
  }

  @Test("a first line mixing numbers and text is neither header nor data, so it is refused")
  func mixedFirstLine() {
    // Before: taken as a header, so the example on line 1 vanished and the file read as one
    // example with columns named '0' and '3.5abc'.
    #expect(
      message("0,3.5abc,2\n1,2,3\n")
        == "bad.csv: line 1, column 2: '3.5abc' is not a number, yet other fields of line 1 are: the line is neither a header (text in every column) nor data (numbers in every feature column); fix the field or name every column"
    )
    #expect(
      message("0,nan,2\n1,2,3\n")?.hasPrefix(
        "bad.csv: line 1, column 2: 'nan' is not a finite number") == true)
  }

  @Test(
    "one odd label in a column of class indices is refused, not read as a class name",
    arguments: [
      (
        "0,1\n1,2\n3.0,3\n",
        "bad.csv: line 3, column 1: label '3.0' is not a class index; class indices are whole numbers 0, 1, 2, … (line 1 has '0')"
      ),
      (
        "0,1\n-1,2\n1,3\n",
        "bad.csv: line 2, column 1: label '-1' is not a class index; class indices are whole numbers 0, 1, 2, … (line 1 has '0')"
      ),
      (
        "0,1\n1,2\nnan,3\n",
        "bad.csv: line 3, column 1: label 'nan' is not a class index; class indices are whole numbers 0, 1, 2, … (line 1 has '0')"
      ),
      (
        "0,1\n2,2\ncat,3\n",
        "bad.csv: line 3, column 1: label 'cat' is a name, but the column holds numbers (line 1 has '0'): labels must be all class indices (0, 1, 2, …) or all class names"
      ),
      (
        "cat,1\n2,2\n",
        "bad.csv: line 1, column 1: label 'cat' is a name, but the column holds numbers (line 2 has '2'): labels must be all class indices (0, 1, 2, …) or all class names (if line 1 is a header, name every column with text that is not a number)"
      ),
      (
        "0,1\n3000000000,2\n",
        "bad.csv: line 2, column 1: label '3000000000' is not a class index; class indices are whole numbers 0, 1, 2, … (line 1 has '0')"
      ),
      (
        "0,1\n100000,2\n",
        "bad.csv: line 2, column 1: label 100000 is too large; labels must be class indices below 100000 or class names"
      ),
      ("0,1\n,2\n", "bad.csv: line 2, column 1: the label is empty; every example needs a label"),
      ("cat,1\n,2\n", "bad.csv: line 2, column 1: the label is empty; every example needs a label"),
    ])
  func oddLabels(text: String, expected: String) {
    #expect(message(text) == expected)
  }

  @Test("a header whose column names are numbers reads as data, and says why it is refused")
  func numericHeader() {
    #expect(
      message("label,0,1\n0,1,2\n1,3,4\n")
        == "bad.csv: line 1, column 1: label 'label' is a name, but the column holds numbers (line 2 has '0'): labels must be all class indices (0, 1, 2, …) or all class names (if line 1 is a header, name every column with text that is not a number)"
    )
  }

  @Test("a label column given by name needs a header naming it")
  func namedWithoutHeader() {
    #expect(
      message("0,1\n1,2\n", labelColumn: .named("species"))
        == "bad.csv: line 1: no column named 'species'; columns: 0, 1")
  }

  @Test("well-formed files still read: signs, exponents, points, names, indices")
  func accepted() throws {
    let numbers = try read("label,a,b\n+3,1e-3,.5\n007,-4,5.\n0,2.5E+1,0\n")
    #expect(numbers.dataset.labels == [3, 7, 0] && numbers.classNames.count == 8)
    #expect(numbers.dataset.example(1) == [-4, 5])
    let names = try read("1.5,rose\n2,tulip\n3,nan-flower\n", labelColumn: .last)
    #expect(names.classNames == ["nan-flower", "rose", "tulip"])
  }
}
