package io.tributary.collector;

/**
 * Serves a path under {@code /api/} (query, admin). Called on a worker thread, never on a network
 * thread, so it may block (run a query). Must be thread-safe.
 */
@FunctionalInterface
public interface ApiHandler {
  ApiResponse handle(ApiRequest request);

  /** A request to the API: the {@code Authorization} header is passed as is (null when absent). */
  record ApiRequest(String method, String path, String authorization, byte[] body) {}

  /** A JSON response. */
  record ApiResponse(int status, byte[] json) {}
}
