package io.tributary.core;

import java.util.Locale;

/** The six Segment message types, with the fields each one requires besides the user identity. */
public enum SegmentType {
  TRACK("event"),
  IDENTIFY(null),
  PAGE(null),
  SCREEN(null),
  GROUP("groupId"),
  ALIAS("previousId");

  private final String requiredField;

  SegmentType(String requiredField) {
    this.requiredField = requiredField;
  }

  /** A field this type must carry (null when only userId/anonymousId are required). */
  public String requiredField() {
    return requiredField;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code track} etc. (case-insensitive); null when it is not a Segment type. */
  public static SegmentType fromWireName(String name) {
    if (name == null) {
      return null;
    }
    for (SegmentType t : values()) {
      if (t.wireName().equalsIgnoreCase(name)) {
        return t;
      }
    }
    return null;
  }
}
