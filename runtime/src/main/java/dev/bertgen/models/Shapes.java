package dev.bertgen.models;

/** Shape checks of batch arrays, with messages that name the array, the row and the fix. */
final class Shapes {
  private Shapes() {}

  static void requireRectangular(String name, int[][] rows) {
    for (int r = 0; r < rows.length; r++) {
      if (rows[r] == null) {
        throw new IllegalArgumentException(name + "[" + r + "] is null");
      }
      if (rows[r].length != rows[0].length) {
        throw new IllegalArgumentException(name + "[" + r + "] has length " + rows[r].length + " but "
            + name + "[0] has " + rows[0].length + "; pad every row to the same length");
      }
    }
  }

  static void requireSameShape(String name, int[][] rows, String like, int[][] other) {
    requireRectangular(name, rows);
    if (rows[0].length != other[0].length) {
      throw new IllegalArgumentException(name + " rows have length " + rows[0].length + " but " + like
          + " rows have " + other[0].length + "; they must have the same shape");
    }
  }
}
