// Step 3, replay through the JUnit console launcher (--config promptunit.optimize=false and
// promptunit.cache=replay): every example passes from the cassette, the model receives no request.
evaluate(new File(basedir, 'steps.groovy'))

List requests = takeRequests(3)
String log = stepLog()
List cases = takeReports(3, 'target/console-reports')
List problems = examplesProblems(cases, 'console launcher report') + replayProblems(requests, log)
def summary = log =~ /\[\s*(\d+) tests successful\s*\]/
String successful = summary.find() ? summary.group(1) : null
if (successful == null) {
  problems << 'the console launcher printed no summary: it did not run the tests'
}
findings(3, 'replay through the console launcher, --config promptunit.optimize=false --config promptunit.cache=replay',
    "${requests.size()} model requests, ${successful ?: 'no'} tests successful by the launcher's summary, " +
    "tests by its report: ${tally(cases)}", problems)
