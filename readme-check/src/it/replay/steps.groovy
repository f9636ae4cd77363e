// Shared by verify.1.groovy to verify.4.groovy (evaluated into their binding): what the build that
// just ended did, and a place for its findings (target/steps/<n>.json, judged by verify.groovy).
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import groovy.xml.XmlSlurper

/** The suite's examples, by id, from its examples file. */
exampleIds = new File(basedir, 'src/test/resources/prompts/ticket-router.jsonl').readLines('UTF-8')
    .findAll { it.trim() }.collect { new JsonSlurper().parseText(it).id }

stepsDir = new File(basedir, 'target/steps')
stepsDir.mkdirs()

/** The requests the stand-in model received during the step (maps: path, model, max_tokens, prompt); its log moves to target/steps/<n>-requests.log. */
takeRequests = { int step ->
  File log = new File(basedir, 'target/fake-openai/requests.log')
  if (!log.isFile()) {
    return []
  }
  List requests = log.readLines('UTF-8').findAll { it.trim() }.collect { new JsonSlurper().parseText(it) }
  assert log.renameTo(new File(stepsDir, "${step}-requests.log"))
  requests
}

/** The step's part of build.log: from the start of its Maven build on. */
stepLog = { ->
  String all = new File(basedir, 'build.log').getText('UTF-8')
  int start = all.lastIndexOf('Scanning for projects')
  start < 0 ? all : all.substring(start)
}

/**
 * Moves a report folder the step wrote to target/steps/<n>-<name> (so that a later step cannot be
 * judged by it) and returns the test cases of its XML reports: name, class, status (passed, failed,
 * error, skipped) and the start of the failure's message.
 */
takeReports = { int step, String folder ->
  File reports = new File(basedir, folder)
  if (!reports.isDirectory()) {
    return null
  }
  File kept = new File(stepsDir, "${step}-${reports.name}")
  assert reports.renameTo(kept)
  kept.listFiles().findAll { it.name.startsWith('TEST-') && it.name.endsWith('.xml') }.sort { it.name }.collectMany { xml ->
    new XmlSlurper().parse(xml).testcase.collect { testcase ->
      def problem = [['failure', 'failed'], ['error', 'error'], ['skipped', 'skipped']].find { tag, status -> testcase."${tag}".size() > 0 }
      String message = problem ? (testcase."${problem[0]}".@message.toString() ?: testcase."${problem[0]}".text()) : ''
      [name: testcase.@name.toString(), className: testcase.@classname.toString(), status: problem ? problem[1] : 'passed',
          message: message.readLines().findAll { it.trim() }.take(8)*.trim().join(' ').take(600)]
    }
  }
}

/** How many test cases ended how: "6 passed, 1 skipped". */
tally = { List cases ->
  cases == null ? 'no report' : cases.countBy { it.status }.collect { status, n -> "${n} ${status}" }.join(', ') ?: 'no tests'
}

/** The test case of example {@code id} (its name is the id, then the input). */
exampleCase = { List cases, String id ->
  cases.find { it.name == id || it.name.startsWith(id + ':') || it.name.startsWith(id + ' ') }
}

/** The test cases that are not examples: the suite's verdicts, its optimization. */
otherCases = { List cases ->
  (cases ?: []).findAll { testcase -> exampleIds.every { id -> exampleCase([testcase], id) == null } }
}

/** Problems with the examples' outcomes: each must have run and passed. */
examplesProblems = { List cases, String where ->
  if (cases == null) {
    return ["no ${where} was written".toString()]
  }
  List problems = []
  List missing = exampleIds.findAll { exampleCase(cases, it) == null }
  if (missing) {
    problems << "examples ${missing} are not in the ${where} (test cases: ${cases*.name})".toString()
  }
  List notPassed = exampleIds.collect { exampleCase(cases, it) }.findAll { it != null && it.status != 'passed' }
  if (notPassed) {
    problems << "${notPassed.size()} of ${exampleIds.size()} examples did not pass (${notPassed.collect { it.name.takeWhile { c -> c != ':' } + ' ' + it.status }.join(', ')});".toString() +
        " the first says: ${notPassed[0].message}".toString()
  }
  problems
}

/**
 * Problems of a replay: any request to the model, any request the cassette has no answer for (with
 * the parameters it was asked with, beside those the cassette's requests were recorded with).
 */
replayProblems = { List requests, String log ->
  List problems = []
  if (requests) {
    problems << "the model received ${requests.size()} requests, expected none (first: ${requests[0].prompt.take(120)})".toString()
  }
  Map unrecorded = [:]
  (log =~ /has no recorded answer for this request in .*?Request ([0-9a-f]+), (.*?), last message/).each { match, id, asked -> unrecorded[id] = asked }
  if (unrecorded) {
    File cassette = new File(basedir, 'src/test/cassettes/com.acme.TicketRouterPromptTest.jsonl')
    List recorded = cassette.isFile() ? cassette.readLines('UTF-8').findAll { it.trim() }
        .collect { JsonOutput.toJson(new JsonSlurper().parseText(it).request.parameters) }.toUnique() : []
    problems << ("${unrecorded.size()} requests 'have no recorded answer', asked with ${unrecorded.values().toUnique()};" +
        " the cassette's requests were recorded with parameters ${recorded}").toString()
  }
  problems
}

/** Writes the step's findings for verify.groovy; an empty list of problems means the step did what it should. */
findings = { int step, String name, String summary, List problems ->
  new File(stepsDir, "${step}.json").setText(JsonOutput.prettyPrint(JsonOutput.toJson([step: step, name: name, summary: summary,
      problems: problems])), 'UTF-8')
  println "step ${step} (${name}): ${summary}" + (problems ? '\n  ' + problems.join('\n  ') : '')
  true
}
return true
