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
}
