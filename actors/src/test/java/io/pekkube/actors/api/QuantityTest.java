package io.pekkube.actors.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class QuantityTest {
  @Test
  void milliValuesAndValuesRoundUp() {
    String[][] milli = {{"1", "1000"}, {"500m", "500"}, {"0.1", "100"}, {"1.5", "1500"}, {"2k", "2000000"},
        {"100u", "1"}, {"1e3", "1000000"}, {"x", "-1"}, {"1Qi", "-1"}, {"", "-1"}};
    for (String[] r : milli) {
      assertEquals(Long.parseLong(r[1]), Quantity.milliValue(r[0]), r[0]);
    }
    String[][] value = {{"1Ki", "1024"}, {"1.5Gi", "1610612736"}, {"128974848", "128974848"}, {"129M", "129000000"},
        {"123Mi", "128974848"}, {"500m", "1"}, {"1E", "1000000000000000000"}};
    for (String[] r : value) {
      assertEquals(Long.parseLong(r[1]), Quantity.value(r[0]), r[0]);
    }
  }
}
