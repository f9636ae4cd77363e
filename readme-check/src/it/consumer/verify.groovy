// Runs after the four invocations of invoker.properties; the last one's reports are the ones on disk.
def log = new File(basedir, 'build.log').text
def summaries = (log =~ /(?m)^\[\w+\] Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)$/).collect { it[1..4].join('/') }
assert summaries == ['3/0/0/3', '4/0/1/3', '3/0/0/0', '1/0/0/0'] : "unexpected Surefire summaries ${summaries}:\n" + log
assert log.contains('suite: cannot start') : "require-model did not report the suite as unable to start:\n" + log
assert !log.contains('SLF4J') : "SLF4J warnings in the README project's build:\n" + log

def xml = new File(basedir, 'target/surefire-reports/TEST-com.acme.RouterPromptTest.xml')
assert xml.isFile() : "Surefire wrote no report for the README's suite"
def names = new groovy.xml.XmlSlurper().parse(xml).testcase.collect { it.@name.toString() }
assert names.size() == 1 && names[0].startsWith('refund-1') : "-Dtest=RouterPromptTest#refund-1 ran ${names}"
return true
