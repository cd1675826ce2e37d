package dev.bertgen.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** The tests' Spark: two task slots on the loopback, no UI; a failed task may be retried, so a stage can restart. */
final class LocalSpark {
  private LocalSpark() {}

  static JavaSparkContext start(String name) {
    JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[2,4]").setAppName(name)
        .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1").set("spark.ui.showConsoleProgress", "false"));
    sc.setLogLevel("WARN");
    return sc;
  }
}
