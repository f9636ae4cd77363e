// Step 4, replay through a Jupiter test whose PromptEvaluator has the suite's class as anchor: its one
// test (every example passes, 0 calls, 6 answers from the cassette) passes, the model receives no request.
evaluate(new File(basedir, 'steps.groovy'))

List requests = takeRequests(4)
List cases = takeReports(4, 'target/surefire-reports')
List problems = replayProblems(requests, stepLog())
List jupiter = cases?.findAll { it.className == 'com.acme.TicketRouterJupiterTest' } ?: []
if (jupiter.size() != 1) {
  problems << "expected the one test of TicketRouterJupiterTest in the Surefire report, found ${cases?.collect { it.className + '#' + it.name }}".toString()
} else if (jupiter[0].status != 'passed') {
  problems << "TicketRouterJupiterTest ${jupiter[0].status}: ${jupiter[0].message}".toString()
}
findings(4, 'replay through a Jupiter PromptEvaluator, -Dpromptunit.cache=replay',
    "${requests.size()} model requests, TicketRouterJupiterTest ${jupiter ? jupiter[0].status : 'did not run'}", problems)
