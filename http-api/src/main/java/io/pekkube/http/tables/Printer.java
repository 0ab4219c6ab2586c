package io.pekkube.http.tables;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * How one type prints as a Table: its columns and a pure function from a stored object to the
 * cells of its row, one cell per column (priority 1 cells included: the server always sends the
 * wide row and kubectl drops what it does not show).
 */
public record Printer(List<Column> columns, RowFunction row) {

  public Printer {
    columns = List.copyOf(columns);
  }

  /** The cells of one object's row; {@code now} makes ages testable. */
  @FunctionalInterface
  public interface RowFunction {
    List<Object> cells(JsonNode object, Instant now);
  }

  public static Printer of(RowFunction row, Column... columns) {
    return new Printer(List.of(columns), row);
  }

  public List<Object> cells(JsonNode object, Instant now) {
    List<Object> cells = row.cells(object, now);
    if (cells.size() != columns.size()) {
      throw new IllegalStateException("a row of " + cells.size() + " cells for " + columns.size() + " columns");
    }
    return cells;
  }
}
