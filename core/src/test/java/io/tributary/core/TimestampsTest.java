package io.tributary.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  private static final Instant BASE = Instant.parse("2024-03-05T10:20:30Z");

  private static Instant parse(String s) {
    return Timestamps.parseOrNull(s);
  }

  @Test
  void isoWithZ() {
    assertEquals(BASE, parse("2024-03-05T10:20:30Z"));
    assertEquals(BASE, parse("2024-03-05t10:20:30z"));
  }

  @Test
  void isoWithColonOffset() {
    assertEquals(BASE, parse("2024-03-05T11:20:30+01:00"));
    assertEquals(BASE, parse("2024-03-05T05:50:30-04:30"));
  }

  @Test
  void isoWithCompactOffset() {
    assertEquals(BASE, parse("2024-03-05T11:20:30+0100"));
    assertEquals(BASE, parse("2024-03-05T05:50:30-0430"));
  }

  @Test
  void isoWithHourOnlyOffset() {
    assertEquals(BASE, parse("2024-03-05T11:20:30+01"));
    assertEquals(BASE, parse("2024-03-05T08:20:30-02"));
  }

  @Test
  void fractionsOfAnyPrecision() {
    assertEquals(BASE, parse("2024-03-05T10:20:30Z"));
    String digits = "123456789";
    for (int n = 1; n <= 9; n++) {
      String fraction = digits.substring(0, n);
      long nanos = Long.parseLong((fraction + "000000000").substring(0, 9));
      Instant expected = BASE.plusNanos(nanos);
      assertEquals(expected, parse("2024-03-05T10:20:30." + fraction + "Z"), "digits=" + n);
      assertEquals(expected, parse("2024-03-05T11:20:30." + fraction + "+01:00"), "digits=" + n);
      assertEquals(expected, parse("2024-03-05T10:20:30." + fraction), "digits=" + n + " no zone");
    }
  }

  @Test
  void spaceInsteadOfT() {
    assertEquals(BASE, parse("2024-03-05 10:20:30Z"));
    assertEquals(BASE, parse("2024-03-05 11:20:30+01:00"));
    assertEquals(BASE.plusMillis(250), parse("2024-03-05 10:20:30.250"));
  }

  @Test
  void noZoneIsUtc() {
    assertEquals(BASE, parse("2024-03-05T10:20:30"));
    assertEquals(Instant.parse("2024-03-05T10:20:00Z"), parse("2024-03-05T10:20"));
  }

  @Test
  void bareDateIsUtcMidnight() {
    assertEquals(Instant.parse("2024-03-05T00:00:00Z"), parse("2024-03-05"));
  }

  @Test
  void surroundingWhitespaceIsIgnored() {
    assertEquals(BASE, parse("  2024-03-05T10:20:30Z\n"));
  }

  @Test
  void epochSecondsAsString() {
    assertEquals(Instant.ofEpochSecond(1_700_000_000L), parse("1700000000"));
    assertEquals(Instant.ofEpochMilli(1_700_000_000_500L), parse("1700000000.5"));
    assertEquals(Instant.EPOCH, parse("0"));
  }

  @Test
  void epochMillisAsString() {
    assertEquals(Instant.ofEpochMilli(1_700_000_000_123L), parse("1700000000123"));
  }

  @Test
  void fromEpochPicksSecondsOrMillis() {
    assertEquals(Instant.ofEpochSecond(1_700_000_000L), Timestamps.fromEpoch(1_700_000_000d));
    assertEquals(Instant.ofEpochMilli(1_700_000_000_123L), Timestamps.fromEpoch(1_700_000_000_123d));
  }

  @Test
  void nullBlankAndGarbageAreNull() {
    assertNull(parse(null));
    assertNull(parse(""));
    assertNull(parse("   "));
    assertNull(parse("not a time"));
    assertNull(parse("-"));
    assertNull(parse("1.2.3"));
    assertNull(parse("2024-13-45"));
    assertNull(parse("2024-03-05T25:00:00Z"));
    assertNull(parse("2024-03-05T10:20:30+"));
    assertNull(parse("yesterday"));
  }

  @Test
  void lonePunctuationIsNull() {
    assertNull(parse("."));
    assertNull(parse("-."));
  }

  @Test
  void commonIsoShapeReadsAsTheFormatterReadsIt() {
    List<String> texts = new ArrayList<>();
    for (String date : List.of("2024-02-29", "2023-02-29", "2023-02-28", "2024-04-30", "2024-04-31",
        "2024-12-31", "2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32", "0000-01-01",
        "0001-01-01", "9999-12-31", "1900-02-29", "2000-02-29", "20x4-01-01")) {
      for (String time : List.of("00:00:00", "23:59:59", "24:00:00", "23:60:00", "23:59:60",
          "12:3a:00", "1:00:00")) {
        for (String fraction : List.of("", ".", ".1", ".12", ".123", ".123456", ".123456789",
            ".1234567890", ".000", ".999999999")) {
          for (String zone : List.of("Z", "z", "+00:00", "-00:00", "+05:30", "-09:45", "+17:59",
              "+18:00", "-18:00", "+19:00", "+05:60", "+0530", "+05", "", " Z", "Zx", "+5:30")) {
            texts.add(date + "T" + time + fraction + zone);
          }
        }
      }
      texts.add(date + "t10:20:30Z");
      texts.add(date + " 10:20:30Z");
    }
    for (String text : texts) {
      assertEquals(Timestamps.parseGeneral(text), parse(text), text);
    }
  }

  @Test
  void isoStringIsInstantToString() {
    java.util.Random random = new java.util.Random(7);
    List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH,
        Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("0999-12-31T23:59:59.5Z"),
        Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("-0001-12-31T23:59:59Z"),
        Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("+123456-06-01T00:00:00.001Z"),
        Instant.parse("-12345-06-01T00:00:00Z"), Instant.MIN, Instant.MAX,
        Instant.parse("2024-02-29T00:00:00Z"), Instant.parse("1969-12-31T23:59:59.999Z")));
    long year0 = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    long year10000 = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();
    int[] nanos = {0, 1, 999_999_999, 100_000_000, 120_000_000, 123_000_000, 123_400_000,
        123_456_000, 123_456_700, 123_456_789, 1_000, 1_000_000, 10, 999_000, 999_999_000};
    for (int i = 0; i < 50_000; i++) {
      long seconds = switch (i % 4) {
        case 0 -> year0 - 1_000_000 + (long) (random.nextDouble() * (year10000 - year0 + 2_000_000));
        case 1 -> 1_500_000_000L + random.nextInt(500_000_000); // what events carry
        case 2 -> year0 + random.nextInt(1000 * 366 * 86_400); // years 0 to 999
        default -> random.nextLong() % Instant.MAX.getEpochSecond(); // far outside, both signs
      };
      instants.add(Instant.ofEpochSecond(seconds,
          random.nextBoolean() ? nanos[i % nanos.length] : random.nextInt(1_000_000_000)));
    }
    byte[] out = new byte[Timestamps.MAX_ISO_LENGTH + 3];
    for (Instant t : instants) {
      assertEquals(t.toString(), Timestamps.toIsoString(t), t::toString);
      int end = Timestamps.writeIso(t, out, 3);
      if (end >= 0) {
        assertEquals(t.toString(),
            new String(out, 3, end - 3, java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    }
  }
}
