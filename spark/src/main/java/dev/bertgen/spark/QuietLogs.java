package dev.bertgen.spark;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * jhdf logs a warning on every HDF5 file it writes ("Writing files is in alpha") and on attributes of
 * files it wrote itself; the app silences it with slf4j-nop, but on Spark its logs go to Spark's log4j:
 * this keeps them to errors in the driver and in every executor that trains.
 */
final class QuietLogs {
  private QuietLogs() {}

  static void apply() {
    try {
      Configurator.setLevel("io.jhdf", Level.ERROR);
    } catch (LinkageError e) {
      // a Spark without log4j 2: its own logging settings apply
    }
  }
}
