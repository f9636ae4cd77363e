package io.promptunit.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
      int line = lexer.line + 1;
      List<String> row;
      try {
        row = lexer.nextRow();
      } catch (MalformedCsv e) {
        problems.accept(new SuiteProblem(file, e.line, e.getMessage(), e.fix));
        if (e.rowSkipped && header != null) {
          continue;
        }
        return;
      }
      if (row == null) {
        break;
      }
      if (row.size() == 1 && row.get(0).isBlank()) {
        continue;
      }
      if (header != null) {
        record(file, line, header, row, records, problems);
        continue;
      }
      header = header(row);
      Optional<SuiteProblem> unusable = headerProblem(file, line, header);
      if (unusable.isPresent()) {
        problems.accept(unusable.get());
        return;
      }
    }
    if (header == null) {
      problems.accept(new SuiteProblem(file, 1, "the CSV file is empty",
          "start with a header row such as: id,input,expected,split"));
    }
  }

  /** A row under the header: a record, or a problem when its number of fields is not the header's. */
  private static void record(String file, int line, List<String> header, List<String> row,
      Consumer<ExampleRecord> records, Consumer<SuiteProblem> problems) {
    if (row.size() != header.size()) {
      problems.accept(new SuiteProblem(file, line,
          "the row has " + row.size() + " fields but the header has " + header.size(),
          "quote fields that contain commas, and give every row the header's " + header.size() + " columns"));
    } else {
      records.accept(new ExampleRecord(line, fields(header, row)));
    }
  }

  /**
   * A header the rows cannot be read by: without an {@code expected} column, or naming a column
   * twice (only one of its cells could count).
   */
  private static Optional<SuiteProblem> headerProblem(String file, int line, List<String> header) {
    if (!header.contains("expected")) {
      boolean semicolons = header.size() == 1 && header.get(0).contains(";");
      return Optional.of(new SuiteProblem(file, line,
          "the header row has no \"expected\" column (it has: " + String.join(", ", header) + ")",
          semicolons ? "separate the columns with commas: this file uses semicolons, as some spreadsheet programs "
              + "save CSV files, e.g. id,input,expected"
              : "add an expected column with the output each example should produce, e.g. id,input,expected"));
    }
    for (int i = 0; i < header.size(); i++) {
      int again = header.subList(i + 1, header.size()).indexOf(header.get(i));
      if (again >= 0) {
        return Optional.of(new SuiteProblem(file, line, "the header names the column \"" + header.get(i)
            + "\" twice (columns " + (i + 1) + " and " + (i + 2 + again) + ")",
            "keep one \"" + header.get(i) + "\" column: with two, only one of the cells could count"));
      }
    }
    return Optional.empty();
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
    final String fix;
    /** Whether the lexer has read past the broken row, so that the next row can still be read. */
    final boolean rowSkipped;

    MalformedCsv(int line, String message, String fix, boolean rowSkipped) {
      super(message, null, false, false);
      this.line = line;
      this.fix = fix;
      this.rowSkipped = rowSkipped;
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
            return row.end(rowStart);
          }
          physical = reader.readLine();
          if (physical == null) {
            throw new MalformedCsv(rowStart, "a quoted field opened on this line is never closed",
                "close the quoted field with \" and write a quote inside a quoted field as \"\"", false);
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

    /** Text after the closing quote of a field, the first time a row has any. */
    private final StringBuilder afterQuote = new StringBuilder();
    private int afterQuoteField;

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
      } else if (fieldWasQuoted) {
        textAfterQuote(c);
      } else {
        field.append(c);
      }
    }

    /** Blanks after a closing quote are ignored; anything else makes the row malformed. */
    private void textAfterQuote(char c) {
      if (!Character.isWhitespace(c) && afterQuote.isEmpty()) {
        afterQuoteField = fields.size() + 1;
      }
      if (afterQuoteField == fields.size() + 1 && afterQuote.length() < 40) {
        afterQuote.append(c);
      }
    }

    List<String> end(int line) throws MalformedCsv {
      endField();
      if (afterQuoteField > 0) {
        throw new MalformedCsv(line, "field " + afterQuoteField + " has text after the closing quote (\""
            + fields.get(afterQuoteField - 1) + "\" " + afterQuote.toString().strip() + ")",
            "put the whole field inside the quotes, e.g. \"" + fields.get(afterQuoteField - 1) + " "
                + afterQuote.toString().strip() + "\", and write a quote inside it as \"\"", true);
      }
      return fields;
    }

    private void endField() {
      fields.add(fieldWasQuoted ? field.toString() : field.toString().strip());
    }
  }
}
