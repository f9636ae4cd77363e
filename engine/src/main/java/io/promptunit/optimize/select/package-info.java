/**
 * Best-arm identification under a fixed evaluation budget: which k of n candidate prompts look
 * best, pulling each on sampled examples. {@link io.promptunit.optimize.select.SelectionAlgorithm}
 * names the algorithms (UCB, UCB-E, successive rejects, successive halving, brute force); the
 * optimizer core supplies the pulls ({@link io.promptunit.optimize.select.ArmPull}). Pure
 * computation: depends on the JDK only.
 */
package io.promptunit.optimize.select;
