package io.promptunit.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * CSV as in RFC 4180 with a header row: comma-separated, fields quoted with {@code "} when they
 * hold commas, quotes ({@code ""}) or line breaks. Every cell is text.
 */
final class CsvFormat implements ExampleFormat {

  @Override
  public void read(String file, BufferedReader reader, Consumer<ExampleRecord> records, Consumer<SuiteProblem> problems)
      throws IOException {
    Lexer lexer = new Lexer(reader);
    List<String> header = null;
    while (true) {
      int startLine = lexer.line;
      List<String> row;
      try {
        row = lexer.nextRow();
      } catch (MalformedCsv e) {
        problems.accept(new SuiteProblem(file, e.line, e.getMessage(),
            "close the quoted field with \" and write a quote inside a quoted field as \"\""));
        return;
      }
      if (row == null) {
        break;
      }
      if (row.size() == 1 && row.get(0).isBlank()) {
        continue;
      }
      if (header == null) {
        header = header(row);
        if (!header.contains("expected")) {
          problems.accept(new SuiteProblem(file, startLine + 1,
              "the header row has no \"expected\" column (it has: " + String.join(", ", header) + ")",
              "add an expected column with the output each example should produce, e.g. id,input,expected"));
          return;
        }
      } else if (row.size() != header.size()) {
        problems.accept(new SuiteProblem(file, startLine + 1,
            "the row has " + row.size() + " fields but the header has " + header.size(),
            "quote fields that contain commas, and give every row the header's " + header.size() + " columns"));
      } else {
        records.accept(new ExampleRecord(startLine + 1, fields(header, row)));
      }
    }
    if (header == null) {
      problems.accept(new SuiteProblem(file, 1, "the CSV file is empty",
          "start with a header row such as: id,input,expected,split"));
    }
  }

  /** The column names, without surrounding blanks or a byte order mark. */
  private static List<String> header(List<String> row) {
    List<String> header = new ArrayList<>();
    for (String name : row) {
      header.add(name.strip().replace("\uFEFF", ""));
    }
    return header;
  }

  private static Map<String, JsonNode> fields(List<String> header, List<String> row) {
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    for (int i = 0; i < header.size(); i++) {
      fields.put(header.get(i), TextNode.valueOf(row.get(i)));
    }
    return fields;
  }

  private static final class MalformedCsv extends Exception {
    final int line;

    MalformedCsv(int line, String message) {
      super(message, null, false, false);
      this.line = line;
    }
  }

  /** Reads rows; {@link #line} counts physical lines consumed so far (0-based before the first row). */
  private static final class Lexer {
    private final BufferedReader reader;
    int line;

    Lexer(BufferedReader reader) {
      this.reader = reader;
    }

    List<String> nextRow() throws IOException, MalformedCsv {
      String physical = reader.readLine();
      if (physical == null) {
        return null;
      }
      int rowStart = ++line;
      Row row = new Row();
      int i = 0;
      while (true) {
        if (i >= physical.length()) {
          if (!row.quoted) {
            return row.end();
          }
          physical = reader.readLine();
          if (physical == null) {
            throw new MalformedCsv(rowStart, "a quoted field opened on this line is never closed");
          }
          line++;
          row.field.append('\n');
          i = 0;
          continue;
        }
        char c = physical.charAt(i++);
        if (row.quoted && c == '"' && i < physical.length() && physical.charAt(i) == '"') {
          row.field.append('"');
          i++;
        } else {
          row.accept(c);
        }
      }
    }
  }

  /** The fields of a row read so far, and the one being read. */
  private static final class Row {
    private final List<String> fields = new ArrayList<>();
    final StringBuilder field = new StringBuilder();
    boolean quoted;
    private boolean fieldWasQuoted;

    /** A character, but for a doubled quote inside a quoted field (the lexer reads that as one quote). */
    void accept(char c) {
      if (quoted) {
        if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == ',') {
        endField();
        field.setLength(0);
        fieldWasQuoted = false;
      } else if (c == '"' && field.toString().isBlank()) {
        field.setLength(0);
        quoted = true;
        fieldWasQuoted = true;
      } else {
        field.append(c);
      }
    }

    List<String> end() {
      endField();
      return fields;
    }

    private void endField() {
      fields.add(fieldWasQuoted ? field.toString() : field.toString().strip());
    }
  }
}
