package io.promptunit.engine;

import io.promptunit.model.Spend;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.EngineDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;

/** The root of a PromptUnit run; at its end it tells what the whole run's model calls cost. */
final class PromptUnitEngineDescriptor extends EngineDescriptor implements Node<RunContext> {

  PromptUnitEngineDescriptor(UniqueId uniqueId) {
    super(uniqueId, "PromptUnit");
  }

  @Override
  public void after(RunContext context) {
    Spend total = context.runSpend();
    if (total.calls() > 0) {
      Console.line("run spend: " + total.describe());
    }
    context.models().close();
  }
}
