/**
 * Configuration: {@link io.promptunit.config.Keys} declares every fixed {@code promptunit.*} key
 * (its default and accepted values in {@code Keys.SETTINGS}) and names the key families;
 * {@link io.promptunit.config.Configuration} reads them once (launcher parameters, system
 * properties, {@code junit-platform.properties}, the environment), types them, and turns unknown
 * keys, look-alikes and bad values into {@link io.promptunit.config.ConfigurationProblem}s that
 * name key, source and what is accepted. Also atomic file writes shared by the packages that
 * store files. The bottom layer: it uses no other PromptUnit package, and every engine package may
 * use it.
 */
package io.promptunit.config;
