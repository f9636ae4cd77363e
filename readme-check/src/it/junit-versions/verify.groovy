// Runs after the seven invocations of invoker.properties: checks each one's part of build.log.
def log = new File(basedir, 'build.log').text
def runs = log.split(/Scanning for projects\.\.\./).findAll { it.contains('T E S T S') }
assert runs.size() == 7 : "expected seven test runs in:\n" + log
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

// 3, 4, 7. JUnit 5.13, 5.14 and 6.0: no model is configured, so the suite's examples and the evaluation are skipped; the
//       labels pass (3 in each class)
['5.13.4': runs[2], '5.14.4': runs[3], '6.0.3': runs[6]].each { version, run ->
  assert run.contains("running on JUnit Jupiter ${version}") : "not on JUnit ${version}:\n" + run
  assert summary(run) == ['10/0/0/4'] : "JUnit ${version} run: ${summary(run)}\n" + run
  assert run.contains('BUILD SUCCESS')
  assert !run.contains('PromptUnit needs JUnit') : run
}
// 5. junit-jupiter 5.14.4 without the BOM beside PromptUnit's JUnit 6.1.3: Jupiter's engine is 5.14.4, every other JUnit
//    jar 6.1.3. The build fails at discovery, and its failure on the console (not only in Surefire's .dump file) is
//    PromptUnit's message: each jar with its version and the fix. Jupiter's NoSuchMethodError is only logged after it.
def mix = runs[4]
assert mix.contains('BUILD FAILURE')
assert !mix.contains('running on JUnit Jupiter') : "a test ran on the mixed class path:\n" + mix
def failure = mix.substring(mix.indexOf('There was an error in the forked process'))
assert failure.contains("[ERROR] TestEngine with ID 'promptunit' encountered a critical issue during test discovery") : mix
assert failure.contains('PromptUnit cannot run on this class path: its JUnit jars are of different JUnit releases (5.14.4, 6.1.3)') : mix
['junit-platform-engine   6.1.3', 'junit-platform-commons  6.1.3', 'junit-jupiter-api       6.1.3',
 'junit-jupiter-engine    5.14.4', 'junit-jupiter-params    6.1.3'].each { jar -> assert failure.contains("[ERROR]   ${jar}\n") : jar + '\n' + mix }
assert failure.contains('fix:       import org.junit:junit-bom:6.1.3 (or 5.14.4 to stay on JUnit 5) in <dependencyManagement>') : mix
assert failure.contains('set the property <junit-jupiter.version> to one version instead') : mix
assert failure.contains('read:      PromptUnit\'s README.md, "In your own project", step 2: "If your JUnit jars are of different releases"') : mix
assert !failure.contains('java.lang.NoSuchMethodError') : mix
assert mix.indexOf('PromptUnit cannot run on this class path') < mix.indexOf('SEVERE: TestEngine with ID \'junit-jupiter\'') : mix

// 6. junit-jupiter 6.0.3 without the BOM (Jupiter's engine 6.0.3, the rest 6.1.3), only the Jupiter classes selected:
//    the extension's class and the @ExamplesSource method fail with the same message, as on a JUnit that is too old
def jupiterMix = runs[5]
assert summary(jupiterMix) == ['2/0/2/0'] : "mixed Jupiter run: ${summary(jupiterMix)}\n" + jupiterMix
assert jupiterMix.contains('BUILD FAILURE')
assert jupiterMix.contains('com.acme.RouterJupiterTest.initializationError') : jupiterMix
assert jupiterMix.contains('com.acme.RouterLabelsTest.labelsAreTeams') : jupiterMix
assert jupiterMix.count('PromptUnit cannot run on this class path: its JUnit jars are of different JUnit releases (6.0.3, 6.1.3)') >= 2 : jupiterMix
assert jupiterMix.contains('  junit-jupiter-engine    6.0.3\n') && jupiterMix.contains('  junit-platform-engine   6.1.3\n') : jupiterMix
assert !jupiterMix.contains("TestEngine with ID 'promptunit' encountered") : jupiterMix

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
