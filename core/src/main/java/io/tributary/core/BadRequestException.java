package io.tributary.core;

/**
 * The input is wrong and retrying it will not help: the message names the problem and becomes the
 * client's 4xx body (or a bad-row reason).
 */
public class BadRequestException extends TributaryException {
  private final int status;

  public BadRequestException(int status, String message) {
    super(message);
    this.status = status;
  }

  public BadRequestException(String message) {
    this(400, message);
  }

  /** The HTTP status that fits: 400 by default, 413 for size limits. */
  public int status() {
    return status;
  }
}
