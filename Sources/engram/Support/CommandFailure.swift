import ArgumentParser
import EngramContinual
import EngramData
import EngramIO
import EngramLab
import EngramLinalg
import EngramNN
import EngramTheory
import Foundation

/// Runs a command body; Engram's own errors become one line on stderr and exit status 1.
///
/// Argument-parser errors (unknown flags, bad values) keep the parser's usage message and
/// status 64. Only the CLI maps errors to exit codes.
func reportingErrors(_ body: () throws -> Void) throws {
  do {
    try body()
  } catch let error as TheoryError {
    fail(error.commandLineDescription)
  } catch let error as LinalgError {
    fail(error.description)
  } catch let error as DataError {
    fail(error.description)
  } catch let error as ModelError {
    fail(error.description)
  } catch let error as TrainingError {
    fail(error.description)
  } catch let error as ConfigError {
    fail(error.description)
  } catch let error as InterruptedExperiment {
    fail("\(error.underlying)")
  } catch let error as FailedRun {
    fail("\(error)")
  } catch let error as StoreError {
    fail(error.description)
  } catch let error as SlurmError {
    fail(error.description)
  } catch let error as CocoaError {
    // Foundation's text does not always name the file: name it.
    let path = (error.userInfo[NSFilePathErrorKey] as? String) ?? error.filePath
    let text = systemReason(error)
    fail(path.map { "\($0): \(text)" } ?? text)
  } catch let error as OutputFileError {
    fail(error.description)
  } catch let error as MemoryLimitError {
    fail(error.description)
  } catch let error as InputFileError {
    fail(error.description)
  } catch let error as SweepCannotStart {
    fail(error.description)
  } catch let error as CommandError {
    fail(error.message)
  }
}

/// An error found by the CLI itself (e.g. an option combination).
struct CommandError: Error {
  let message: String
}

private func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("error: \(message)\n".utf8))
  exit(1)
}
