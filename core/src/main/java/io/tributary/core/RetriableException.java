package io.tributary.core;

/** A transient failure (I/O, a store or broker unavailable): the same operation may succeed later. */
public class RetriableException extends TributaryException {
  public RetriableException(String message, Throwable cause) {
    super(message, cause);
  }
}
