package io.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Utf8Test {
  private static boolean jdkAccepts(byte[] b) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static void assertAgrees(byte[] b) {
    assertThat(Utf8.isValid(b)).as("%s", java.util.HexFormat.of().formatHex(b)).isEqualTo(jdkAccepts(b));
  }

  @Test
  void agreesWithTheJdkDecoderOnEveryOneAndTwoByteInput() {
    for (int a = 0; a < 256; a++) {
      assertAgrees(new byte[] {(byte) a});
      for (int b = 0; b < 256; b++) {
        assertAgrees(new byte[] {(byte) a, (byte) b});
      }
    }
  }

  @Test
  void agreesWithTheJdkDecoderOnEveryThreeByteInputAndOnLongerSamples() {
    for (int a = 0xC0; a < 256; a++) {
      for (int b = 0x70; b < 0xD0; b++) {
        for (int c = 0x70; c < 0xD0; c++) {
          assertAgrees(new byte[] {(byte) a, (byte) b, (byte) c});
        }
      }
    }
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 50_000; i++) {
      byte[] b = new byte[1 + random.nextInt(6)];
      for (int k = 0; k < b.length; k++) {
        b[k] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt(256));
      }
      assertAgrees(b);
    }
  }

  @Test
  void findsTheFirstInvalidByteAtEveryOffsetOfLongerAsciiRuns() {
    byte[][] sequences = {{(byte) 0x80}, {(byte) 0xC3, (byte) 0xA9}, {(byte) 0xE2, (byte) 0x82, (byte) 0xAC},
        {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, {(byte) 0xC3}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xFF}, {(byte) 0x7F}, {0}};
    for (int n = 0; n <= 40; n++) {
      for (int at = 0; at <= n; at++) {
        for (byte[] seq : sequences) {
          byte[] b = new byte[n + seq.length];
          java.util.Arrays.fill(b, (byte) 'a');
          System.arraycopy(seq, 0, b, at, seq.length);
          assertAgrees(b);
          assertThat(Utf8.firstInvalid(b)).isEqualTo(bytewiseFirstInvalid(b));
        }
      }
    }
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[random.nextInt(70)];
      for (int k = 0; k < b.length; k++) {
        b[k] = (byte) (random.nextInt(20) == 0 ? 0x80 + random.nextInt(0x80) : random.nextInt(0x80));
      }
      assertAgrees(b);
      assertThat(Utf8.firstInvalid(b)).isEqualTo(bytewiseFirstInvalid(b));
    }
  }

  @Test
  void findsANulByteAtEveryOffsetAndNoneWhereThereIsNone() {
    for (int n = 0; n <= 40; n++) {
      byte[] none = new byte[n];
      for (int k = 0; k < n; k++) {
        none[k] = (byte) (k % 3 == 0 ? 0x01 : k % 3 == 1 ? 0x80 : 0xFF); // borrow-prone neighbours
      }
      assertThat(Utf8.hasNul(none)).isFalse();
      for (int at = 0; at < n; at++) {
        byte[] b = none.clone();
        b[at] = 0;
        assertThat(Utf8.hasNul(b)).as("length %d, NUL at %d", n, at).isTrue();
      }
    }
    SplittableRandom random = new SplittableRandom(13);
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[random.nextInt(70)];
      boolean nul = false;
      for (int k = 0; k < b.length; k++) {
        b[k] = (byte) (random.nextInt(200) == 0 ? 0 : 1 + random.nextInt(255));
        nul |= b[k] == 0;
      }
      assertThat(Utf8.hasNul(b)).isEqualTo(nul);
    }
  }

  /** The validator as it was, a byte at a time: the reference for the word-at-a-time version. */
  private static int bytewiseFirstInvalid(byte[] b) {
    int i = 0;
    while (i < b.length) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int more = c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : -1;
      if (more < 0 || i + more >= b.length) {
        return i;
      }
      int c1 = b[i + 1] & 0xff;
      if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90)
          || (c == 0xF4 && c1 > 0x8F)) {
        return i;
      }
      for (int k = 1; k <= more; k++) {
        if ((b[i + k] & 0xC0) != 0x80) {
          return i;
        }
      }
      i += more + 1;
    }
    return -1;
  }
}
