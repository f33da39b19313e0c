import EngramLab
import Testing

@Suite("Statistics")
struct StatisticsTests {
  @Test(
    "Student t quantiles and CDF match scipy.stats.t",
    arguments: [
      (0.975, 4.0, 2.7764451051977934), (0.975, 1.0, 12.706204736174694),
      (0.975, 29.0, 2.045229642132703),
    ])
  func quantiles(p: Double, df: Double, expected: Double) {
    #expect(abs(Statistics.studentTQuantile(p, degreesOfFreedom: df) - expected) < 1e-8)
  }

  @Test("CDF values and Welch's test match scipy (ttest_ind, equal_var=False)")
  func cdfAndWelch() throws {
    #expect(abs(Statistics.studentTCDF(2.0, degreesOfFreedom: 10) - 0.9633059826146299) < 1e-12)
    #expect(abs(Statistics.studentTCDF(-1.3, degreesOfFreedom: 3.5) - 0.1362977079021851) < 1e-12)
    let w = try #require(Statistics.welch([1.0, 2.0, 3.5, 4.0], [2.5, 3.1, 4.8, 5.0, 6.2]))
    #expect(abs(w.t - -1.7620358180659665) < 1e-12)
    #expect(abs(w.p - 0.12265962407990921) < 1e-10)
    #expect(Statistics.welch([1], [2, 3]) == nil)
  }

  @Test("mean, sample standard deviation and the 95 % interval of a hand-computed case")
  func summary() {
    let values = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]
    #expect(Statistics.mean(values) == 5)
    #expect(abs(Statistics.standardDeviation(values) - (32.0 / 7).squareRoot()) < 1e-12)
    // t(0.975, 7) = 2.364624251592785
    let half = 2.364624251592785 * (32.0 / 7).squareRoot() / 8.0.squareRoot()
    #expect(abs(Statistics.confidenceHalfWidth(values) - half) < 1e-8)
    #expect(Statistics.confidenceHalfWidth([1]).isNaN)
  }
}
