package io.promptunit.suite;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One example as it stands in its file, before interpretation: its fields in file order.
 *
 * @param line 1-based line where the record starts
 * @param fields field name to value (CSV cells are text nodes)
 */
record ExampleRecord(int line, Map<String, JsonNode> fields) {}
