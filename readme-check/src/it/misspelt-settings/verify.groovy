// Runs after the invocations of invoker.properties: checks each one's part of build.log.
def log = new File(basedir, 'build.log').text
def runs = log.split(/Scanning for projects\.\.\./).findAll { it.contains('T E S T S') }
assert runs.size() == 2 : "expected two test runs in:\n" + log

// 1. the misspelt keys of junit-platform.properties fail the run, naming the keys meant
def misspelt = runs[0]
assert misspelt.contains('BUILD FAILURE')
assert misspelt.contains('Unknown setting promptunit.concurency (set in junit-platform.properties): did you mean promptunit.concurrency?') : misspelt
// junit-platform.properties is read as ISO-8859-1: the key is still shown as it stands in the file
assert misspelt.contains("Unknown setting promptunit.m\u043Edel (set in junit-platform.properties) (it contains '\u043E', U+043E CYRILLIC SMALL LETTER O, which looks like 'o'): did you mean promptunit.model?") : misspelt
// nothing runs, the Jupiter class included: no silent skip for want of a model
assert misspelt.contains('Tests run: 0, Failures: 0, Errors: 0, Skipped: 0') : misspelt
assert !misspelt.contains('No model configured') : "a misspelt key was ignored and the run fell back to no model:\n" + misspelt

// 2. each bad value is one problem naming key, source and accepted values
def values = runs[1]
assert values.contains('BUILD FAILURE')
assert values.contains('Setting promptunit.timeout-seconds=0 (set by -Dpromptunit.timeout-seconds) is not accepted: it is out of range; use a whole number from 1 to 86400.') : values
assert values.contains('Setting promptunit.retry-backoff-millis=-5 (set by -Dpromptunit.retry-backoff-millis) is not accepted: it is out of range; use a whole number from 0 to 600000.') : values
assert values.contains('Setting promptunit.concurrency=2147483647 (set by -Dpromptunit.concurrency) is not accepted: it is out of range; use a whole number from 1 to 1024.') : values
assert !values.contains('IllegalArgumentException') && !values.contains('cannot start: null') : values
return true
