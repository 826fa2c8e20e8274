package io.tributary.core;

/** The configuration is invalid; the message names the key, the bad value and the rule. */
public class ConfigException extends TributaryException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
