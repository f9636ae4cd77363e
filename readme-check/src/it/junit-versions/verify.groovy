// Runs after the five invocations of invoker.properties: checks each one's part of build.log.
def log = new File(basedir, 'build.log').text
def runs = log.split(/Scanning for projects\.\.\./).findAll { it.contains('T E S T S') }
assert runs.size() == 5 : "expected five test runs in:\n" + log
def summary = { run -> (run =~ /(?m)^\[\w+\] Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)$/).collect { it[1..4].join('/') } }

// 1, 2. JUnit 5.11 and 5.12: the suite, the extension's class and the @ExamplesSource method each fail with the reason
//       and the fix, and the build fails
['5.11': runs[0], '5.12': runs[1]].each { line, run ->
  def version = line == '5.11' ? '5.11.4' : '5.12.2'
  def platform = line == '5.11' ? '1.11.4' : '1.12.2'
  assert summary(run) == ['3/0/3/0'] : "JUnit ${version} run: ${summary(run)}\n" + run
  assert run.contains('BUILD FAILURE')
  assert run.contains('com.acme.RouterPromptTest.needs JUnit 5.13 or newer') : "no failing test for the suite:\n" + run
  assert run.contains('com.acme.RouterJupiterTest.initializationError') : "the Jupiter class did not fail as a whole:\n" + run
  assert run.contains('com.acme.RouterLabelsTest.labelsAreTeams') : "the @ExamplesSource method did not fail:\n" + run
  assert run.contains("PromptUnit needs JUnit 5.13 or newer, but this test run has JUnit ${version} (junit-platform-engine ${platform}).") : run
  assert run.contains("PromptUnit needs JUnit 5.13 or newer, but this test run has JUnit ${version} (junit-jupiter-api ${version}).") : run
  assert run.contains("PromptUnit needs JUnit 5.13 or newer, but this test run has JUnit ${version} (junit-jupiter-params ${version}).") : run
  assert run.contains('import org.junit:junit-bom:6.1.3 (or 5.14.4 to stay on JUnit 5) in <dependencyManagement>') : run
  assert run.contains('<junit-jupiter.version>5.14.4</junit-jupiter.version>') : run
  assert !run.contains('failed to discover tests') && !run.contains('NoClassDefFoundError') && !run.contains('NoSuchMethodError') : run
}

// 3, 4, 5. JUnit 5.13, 5.14 and 6.0: no model is configured, so the suite's examples and the evaluation are skipped; the
//       labels pass (3 in each class)
['5.13.4': runs[2], '5.14.4': runs[3], '6.0.3': runs[4]].each { version, run ->
  assert run.contains("running on JUnit Jupiter ${version}") : "not on JUnit ${version}:\n" + run
  assert summary(run) == ['10/0/0/4'] : "JUnit ${version} run: ${summary(run)}\n" + run
  assert run.contains('BUILD SUCCESS')
  assert !run.contains('PromptUnit needs JUnit') : run
}
// The last run's Surefire XML names test cases as JUnit and the README show them (the README's reporter setting):
// an example by its id and input, a parameterized invocation "method(Example)[n] id: input"
def testcases = { name -> new groovy.xml.XmlSlurper().parse(new File(basedir, "target/surefire-reports/TEST-com.acme.${name}.xml"))
    .testcase.collect { it.@name.toString() } }
def suite = testcases('RouterPromptTest')
assert suite.contains('refund-1: I want my money back') : "the suite's examples are named ${suite}"
def labels = testcases('RouterLabelsTest')
assert labels.contains('labelsAreTeams(Example)[1] refund-1: I want my money back') : "the parameterized test's invocations are named ${labels}"
assert labels.every { it ==~ /labelsAreTeams\(Example\)\[\d+\] [\w-]+: .+/ } : "unexpected names ${labels}"
return true
