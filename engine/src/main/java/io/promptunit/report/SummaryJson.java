package io.promptunit.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promptunit.config.AtomicWrite;
import io.promptunit.model.PriceTable;
import io.promptunit.model.Spend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apiguardian.api.API;

/**
 * {@code summary.json}, beside the HTML report, for CI: per suite whether it passes, and per model (one, or several
 * side by side) its pass rate per split, failing examples, cost per 1,000 examples, latency p50/p95 and verdict, with
 * the cheapest model that passes held-out.
 */
@API(status = INTERNAL, since = "0.1")
public final class SummaryJson {

  private SummaryJson() {}

  /** Writes the summary of {@code suites} to {@code file}, replacing it atomically; returns the file. */
  public static Path write(Path file, List<SuiteReport> suites, Spend total, PriceTable prices) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("spend", total.cost());
    root.put("calls", total.calls());
    ArrayNode array = root.putArray("suites");
    for (SuiteReport suite : suites) {
      array.add(suite(mapper, suite, prices));
    }
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    AtomicWrite.replace(absolute, mapper.writeValueAsString(root) + "\n");
    return absolute;
  }

  private static ObjectNode suite(ObjectMapper mapper, SuiteReport suite, PriceTable prices) {
    ObjectNode node = mapper.createObjectNode();
    node.put("name", suite.name());
    node.put("passes", suite.passes());
    node.put("minPassRate", suite.minPassRate());
    suite.problem().ifPresent(problem -> node.put("problem", problem));
    suite.notRun().ifPresent(why -> node.put("notRun", why));
    ModelMatrix matrix = suite.matrix().orElseGet(() -> ModelMatrix.of(suite, prices));
    node.put("heldOut", matrix.heldOut());
    matrix.cheapestPassing().ifPresentOrElse(line -> node.put("cheapestPassingModel", line.model()),
        () -> node.putNull("cheapestPassingModel"));
    ArrayNode models = node.putArray("models");
    matrix.lines().forEach(line -> line(models.addObject(), line));
    if (!matrix.after().isEmpty()) {
      after(node, matrix);
    }
    return node;
  }

  /** One model's figures. */
  private static void line(ObjectNode model, ModelMatrix.Line line) {
    model.put("model", line.model());
    model.put("verdict", line.verdict());
    line.skipped().ifPresent(why -> model.put("skipped", why));
    ObjectNode rates = model.putObject("passRate");
    line.passRates().forEach(rates::put);
    model.put("ran", line.ran());
    model.put("failing", line.failing());
    model.put("errors", line.errors());
    if (line.costPer1000().isPresent()) {
      model.put("costPer1000Examples", line.costPer1000().getAsDouble());
    } else {
      model.putNull("costPer1000Examples");
    }
    line.p50().ifPresent(ms -> model.put("latencyP50Millis", ms));
    line.p95().ifPresent(ms -> model.put("latencyP95Millis", ms));
  }

  /** Per model after the optimizations, and the cheapest model that passes with which prompt. */
  private static void after(ObjectNode node, ModelMatrix matrix) {
    matrix.cheapestPassingAfter().ifPresentOrElse(line -> {
      node.put("cheapestPassingModelAfterOptimization", line.model());
      node.put("cheapestPassingPrompt", line.prompt());
    }, () -> node.putNull("cheapestPassingModelAfterOptimization"));
    ArrayNode after = node.putArray("afterOptimization");
    for (ModelMatrix.After line : matrix.after()) {
      ObjectNode model = after.addObject();
      model.put("model", line.model());
      line.originalHeldOut().ifPresent(rate -> model.put("heldOutOriginal", rate));
      line.heldOut().ifPresent(rate -> model.put("heldOut", rate));
      model.put("passes", line.passes());
      model.put("optimizationCost", line.spend().cost());
      model.put("optimizationCalls", line.spend().calls());
      if (line.costPer1000().isPresent()) {
        model.put("costPer1000Examples", line.costPer1000().getAsDouble());
      }
      model.put("prompt", line.prompt());
    }
  }
}
