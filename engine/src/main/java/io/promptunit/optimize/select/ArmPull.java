package io.promptunit.optimize.select;

/**
 * One evaluation of one arm (a candidate prompt) on one example the caller samples: true when the
 * candidate's output passed. Each call may cost a model call, so selections count them.
 */
@FunctionalInterface
public interface ArmPull {
  boolean pull(int arm);
}
