// Step 1, record (optimization on, read-write cassette): the stand-in answered, every example passed,
// the optimization ran (and found nothing to improve), and the cassette holds an answer for each
// request the model received.
import groovy.json.JsonSlurper
evaluate(new File(basedir, 'steps.groovy'))

List requests = takeRequests(1)
List cases = takeReports(1, 'target/surefire-reports')
List problems = examplesProblems(cases, 'Surefire report')
List verdicts = otherCases(cases)
if (verdicts.any { it.status != 'passed' }) {
  problems << "tests did not pass: ${verdicts.findAll { it.status != 'passed' }.collect { it.name + ' ' + it.status + ': ' + it.message }}".toString()
}
if (cases != null && !verdicts.any { it.name.toLowerCase().contains('optimiz') }) {
  problems << "the optimization did not run (no test of it in the report: ${verdicts*.name})".toString()
}
File cassette = new File(basedir, 'src/test/cassettes/com.acme.TicketRouterPromptTest.jsonl')
List entries = cassette.isFile() ? cassette.readLines('UTF-8').findAll { it.trim() }.collect { new JsonSlurper().parseText(it) } : []
if (!cassette.isFile()) {
  problems << "no cassette was written at ${cassette}".toString()
} else if (requests.size() < exampleIds.size() || entries.size() != requests.size()) {
  problems << "the model received ${requests.size()} requests and the cassette holds ${entries.size()} answers; expected one recorded answer per request, at least one per example".toString()
}
findings(1, 'record with @Optimize on', "${requests.size()} model requests (output caps ${requests*.max_tokens.unique()}), ${entries.size()} cassette entries, " +
    "tests: ${tally(cases)}", problems)
