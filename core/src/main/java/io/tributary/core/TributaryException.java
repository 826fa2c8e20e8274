package io.tributary.core;

/**
 * Root of Tributary's unchecked exceptions. Subclasses say what the caller should do: {@link
 * BadRequestException} (reject or route to bad rows), {@link RetriableException} (try again), {@link
 * ConfigException} (stop and fix the configuration).
 */
public class TributaryException extends RuntimeException {
  public TributaryException(String message) {
    super(message);
  }

  public TributaryException(String message, Throwable cause) {
    super(message, cause);
  }
}
