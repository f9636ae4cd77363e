// Runs last, also after a build that failed: stops the stand-in model, then judges the findings the
// verify.N.groovy scripts wrote for the four steps of invoker.properties.
import groovy.json.JsonSlurper

String baseUrl = context.userProperties['promptunit.openai.base-url']
if (baseUrl) {
  HttpURLConnection stop = (HttpURLConnection) new URL(baseUrl.replaceFirst('/v1$', '/stop')).openConnection()
  stop.requestMethod = 'POST'
  stop.responseCode
}

List steps = (1..4).collect { n ->
  File file = new File(basedir, "target/steps/${n}.json")
  file.isFile() ? new JsonSlurper().parse(file) : [step: n, name: "step ${n}", summary: 'did not finish', problems: ['its build failed or did not run: see build.log']]
}
List failed = steps.findAll { it.problems }
if (failed) {
  throw new AssertionError("A suite recorded with @Optimize on does not behave the same however it is run:\n" +
    steps.collect { step -> "step ${step.step}, ${step.name}: ${step.summary}" + step.problems.collect { '\n    ✘ ' + it }.join('') }.join('\n'))
}
return true
