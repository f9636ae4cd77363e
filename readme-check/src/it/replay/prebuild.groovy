// Runs once, before the builds of invoker.properties: starts from a fresh project (no cassette and no
// reports of an earlier run) and starts a stand-in for the OpenAI chat-completions API on 127.0.0.1
// that answers every ticket of the suite with its expected team, so the recorded suite passes.
// Every request it receives is appended to target/fake-openai/requests.log (one JSON line: path,
// model, output cap, prompt), which the verify.N.groovy scripts read. verify.groovy stops it.
import com.sun.net.httpserver.HttpExchange
import com.sun.net.httpserver.HttpServer
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.nio.charset.StandardCharsets

['src/test/cassettes', 'target'].each { new File(basedir, it).deleteDir() }
File requestLog = new File(basedir, 'target/fake-openai/requests.log')
requestLog.parentFile.mkdirs()

Map<String, String> teams = new File(basedir, 'src/test/resources/prompts/ticket-router.jsonl').readLines('UTF-8')
    .findAll { it.trim() }
    .collect { new JsonSlurper().parseText(it) }
    .collectEntries { [(it.input): it.expected] }

def send = { HttpExchange exchange, int status, Object body ->
  byte[] bytes = JsonOutput.toJson(body).getBytes(StandardCharsets.UTF_8)
  exchange.responseHeaders.add('Content-Type', 'application/json')
  exchange.sendResponseHeaders(status, bytes.length)
  exchange.responseBody.write(bytes)
}

HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0)
server.createContext('/') { HttpExchange exchange ->
  try {
    String path = exchange.requestURI.path
    if (path == '/stop') {
      send(exchange, 200, [stopped: true])
      Thread.start { server.stop(0) }
      return
    }
    def request = new JsonSlurper().parseText(new String(exchange.requestBody.readAllBytes(), StandardCharsets.UTF_8))
    String prompt = request.messages.findAll { it.role == 'user' }
        .collect { it.content instanceof String ? it.content : it.content*.text.join('\n') }.join('\n')
    synchronized (requestLog) {
      requestLog << JsonOutput.toJson([path: path, model: request.model, max_tokens: request.max_tokens,
          max_completion_tokens: request.max_completion_tokens, prompt: prompt]) + '\n'
    }
    String team = teams.find { ticket, expected -> prompt.contains(ticket) }?.value
    if (path != '/v1/chat/completions' || team == null) {
      send(exchange, 400, [error: [message: "the stand-in model has no answer for ${path}: ${prompt.take(200)}".toString(),
          type: 'invalid_request_error', param: null, code: null]])
      return
    }
    int promptTokens = prompt.split(/\s+/).length
    send(exchange, 200, [id: 'chatcmpl-' + UUID.randomUUID(), object: 'chat.completion', created: (long) (System.currentTimeMillis() / 1000),
        model: request.model,
        choices: [[index: 0, message: [role: 'assistant', content: team], logprobs: null, finish_reason: 'stop']],
        usage: [prompt_tokens: promptTokens, completion_tokens: 1, total_tokens: promptTokens + 1]])
  } catch (Throwable e) {
    e.printStackTrace()
    exchange.sendResponseHeaders(500, -1)
  } finally {
    exchange.close()
  }
}
server.start()

// a user property of every build of invoker.properties (-Dpromptunit.openai.base-url=...)
context.userProperties['promptunit.openai.base-url'] = "http://127.0.0.1:${server.address.port}/v1".toString()
println "stand-in OpenAI API at ${context.userProperties['promptunit.openai.base-url']}"
return true
