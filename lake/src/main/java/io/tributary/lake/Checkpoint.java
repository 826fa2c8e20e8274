package io.tributary.lake;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The archiver's progress for one partition, kept in the lake next to the files. {@code pendingEnd}
 * is set while a flush of offsets {@code nextOffset..pendingEnd} is being published: after a crash,
 * the same range is written again, so the files get the same names and replace themselves.
 */
record Checkpoint(long nextOffset, Long pendingEnd) {
  private static final Pattern FORMAT =
      Pattern.compile("\\{\"next_offset\":(\\d+),\"pending_end\":(null|\\d+)}");

  byte[] toJson() {
    return ("{\"next_offset\":" + nextOffset + ",\"pending_end\":" + pendingEnd + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static Checkpoint parse(byte[] json, String path) {
    Matcher m = FORMAT.matcher(new String(json, StandardCharsets.UTF_8).strip());
    if (!m.matches()) {
      throw new IllegalStateException("unreadable archiver checkpoint " + path);
    }
    return new Checkpoint(Long.parseLong(m.group(1)),
        m.group(2).equals("null") ? null : Long.valueOf(m.group(2)));
  }
}
