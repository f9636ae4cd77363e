// Step 2, replay through Surefire with the optimization off: every example passes from the cassette,
// the model receives no request, and the optimization is reported skipped.
evaluate(new File(basedir, 'steps.groovy'))

List requests = takeRequests(2)
List cases = takeReports(2, 'target/surefire-reports')
List problems = examplesProblems(cases, 'Surefire report') + replayProblems(requests, stepLog())
List verdicts = otherCases(cases)
if (verdicts.any { it.status in ['failed', 'error'] }) {
  problems << "tests failed: ${verdicts.findAll { it.status in ['failed', 'error'] }.collect { it.name + ': ' + it.message }}".toString()
}
if (cases != null && !verdicts.any { it.status == 'skipped' && it.name.toLowerCase().contains('optimiz') }) {
  problems << "the optimization is not reported skipped (${verdicts.collect { it.name + ' ' + it.status }})".toString()
}
findings(2, 'replay through Surefire, -Dpromptunit.optimize=false -Dpromptunit.cache=replay',
    "${requests.size()} model requests, tests: ${tally(cases)}", problems)
