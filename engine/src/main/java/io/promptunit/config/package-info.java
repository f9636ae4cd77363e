/**
 * Configuration: {@link io.promptunit.config.Keys} names every {@code promptunit.*} key (set in
 * {@code junit-platform.properties}, as a system property or as an environment variable), and the
 * engine reads their values through one view of the configuration. Also atomic file writes shared
 * by the packages that store files. The bottom layer: it uses no other PromptUnit package, and every
 * engine package may use it.
 */
package io.promptunit.config;
